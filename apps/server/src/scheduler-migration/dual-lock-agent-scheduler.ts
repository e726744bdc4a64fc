import { ClusteredSchedulerBase, type Acquired, type ActiveRun, type ClusteredSchedulerOptions, type ScheduledEntry } from '@stratus/redis';
import type { AgentStoreLock } from './agent-store-lock.js';

export interface DualLockAgentSchedulerOptions extends ClusteredSchedulerOptions {
  /** The store the fleet is migrating from: its lock is taken first and released last. */
  readonly old: AgentStoreLock;
  /** The store the fleet is migrating to. */
  readonly next: AgentStoreLock;
  /** Runs when the scheduler stops (closing connections it owns). */
  readonly onStopped?: () => Promise<void>;
}

const SEPARATOR = '\u0000';

/**
 * The agent scheduler of a replica during a scheduler migration (`scheduler.migration`): every run
 * holds the agent's lock in the old store and in the new one, each in the exact shape that store's
 * own scheduler uses. The old lock is taken first, then the new; a run that gets the old lock but
 * not the new one drops the old lock at once (no "not before" marker), so it never blocks the
 * holder of the new lock; at the end both become markers until the next start, the new one first.
 *
 * Hence, during a rolling deploy: replicas still on the old scheduler alone contend on the old
 * lock, replicas already on the new scheduler alone contend on the new lock, and migrating replicas
 * on both, so as long as no replica runs the old scheduler alone while another runs the new one
 * alone, no agent ever runs twice at once (docs/runbooks/cache-and-task-migration.md, "Scheduler").
 */
export class DualLockAgentScheduler extends ClusteredSchedulerBase {
  readonly kind: string;
  private readonly old: AgentStoreLock;
  private readonly next: AgentStoreLock;
  private readonly onStopped: () => Promise<void>;

  constructor(options: DualLockAgentSchedulerOptions) {
    super(options);
    this.old = options.old;
    this.next = options.next;
    this.onStopped = options.onStopped ?? (async () => {});
    this.kind = `migration(${options.old.store}->${options.next.store})`;
  }

  protected async acquire(candidates: readonly ScheduledEntry[], capacity: number): Promise<Acquired[]> {
    const batch = candidates.slice(0, capacity);
    const oldTokens = await this.old.take(batch);
    const holding = batch.filter((entry) => oldTokens.has(entry.agent.agentType));
    let nextTokens: Map<string, string>;
    try {
      nextTokens = await this.next.take(holding);
    } catch (error) {
      await this.dropOld(holding, oldTokens);
      throw error;
    }
    const both = holding.filter((entry) => nextTokens.has(entry.agent.agentType));
    await this.dropOld(
      holding.filter((entry) => !nextTokens.has(entry.agent.agentType)),
      oldTokens,
    );
    // The old lock must still be ours now that the new one is (a slow store may have outlasted it,
    // and a replica on the old scheduler alone may hold it); confirming also renews it.
    const valid = await Promise.all(
      both.map(async (entry) => {
        const agentType = entry.agent.agentType;
        if (await this.old.confirm(agentType, oldTokens.get(agentType)!, entry.timing.timeoutMs).catch(() => false)) return true;
        await this.next.forget(agentType, nextTokens.get(agentType)!).catch(() => undefined);
        return false;
      }),
    );
    return both
      .filter((_, i) => valid[i])
      .map((entry) => ({ entry, token: `${oldTokens.get(entry.agent.agentType)}${SEPARATOR}${nextTokens.get(entry.agent.agentType)}` }));
  }

  private async dropOld(entries: readonly ScheduledEntry[], tokens: Map<string, string>): Promise<void> {
    await Promise.all(entries.map((entry) => this.old.forget(entry.agent.agentType, tokens.get(entry.agent.agentType)!)));
  }

  protected async confirmAndExtend(run: ActiveRun): Promise<boolean> {
    const [oldToken, nextToken] = split(run.token);
    const agentType = run.entry.agent.agentType;
    const lease = run.entry.timing.timeoutMs;
    return (await this.old.confirm(agentType, oldToken, lease)) && (await this.next.confirm(agentType, nextToken, lease));
  }

  protected async release(run: ActiveRun, nextRunInMs: number): Promise<void> {
    const [oldToken, nextToken] = split(run.token);
    const agentType = run.entry.agent.agentType;
    // Reverse order: the new store's lock goes first, so the old lock still covers the release.
    await this.next.release(agentType, nextToken, nextRunInMs);
    await this.old.release(agentType, oldToken, nextRunInMs);
  }

  protected async forget(agentType: string, run: ActiveRun | undefined): Promise<void> {
    if (!run) return;
    const [oldToken, nextToken] = split(run.token);
    await this.next.forget(agentType, nextToken);
    await this.old.forget(agentType, oldToken);
  }

  protected override async onStop(): Promise<void> {
    await this.onStopped();
  }
}

function split(token: string): [string, string] {
  const at = token.indexOf(SEPARATOR);
  return [token.slice(0, at), token.slice(at + 1)];
}
