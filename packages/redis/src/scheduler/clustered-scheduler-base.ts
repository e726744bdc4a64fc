import {
  AgentInstrumentation,
  DEFAULT_SCHEDULER_DEFAULTS,
  StaleRunError,
  timingOf,
  type AgentExecution,
  type AgentScheduler,
  type ExecutionContext,
  type SchedulerDefaults,
} from '@stratus/core';
import type { Agent, AgentOwnership } from '@stratus/plugin-api';
import { defaultNodeId } from './node-identity.js';
import { shuffle } from './shuffle.js';

export interface ClusteredSchedulerOptions extends Partial<SchedulerDefaults> {
  /** This node's identity in locks and the replica set (default `<host>:<pid>:<random>`). */
  readonly nodeId?: string;
  /** First segment of every scheduler key. */
  readonly keyPrefix?: string;
  /** How often the node tries to take agents (`agentLockAcquisitionIntervalSeconds`, 1 s). */
  readonly tickMs?: number;
  /** Per-node cap on runs in flight (`redis.agent.maxConcurrentAgents`, 1000). */
  readonly maxConcurrentAgents?: number;
  /** Only agents whose lower-cased type matches run here (`redis.agent.enabledPattern`, `.*`). */
  readonly enabledPattern?: string | RegExp;
  /** False on API-only or draining nodes: the node then takes nothing (discovery status in Clouddriver). */
  readonly nodeEnabled?: () => boolean;
  /**
   * How long a lock outlives the run's timeout. The node abandons a run at its timeout and still owns
   * the lock for this long, so it can turn the lock into an error-interval "not before" marker.
   */
  readonly lockGraceMs?: number;
  readonly instrumentation?: AgentInstrumentation;
  /** Close the Redis connection when the scheduler stops (true when a factory created it for the scheduler). */
  readonly ownsConnection?: boolean;
  /** Called with errors the scheduler swallows (Redis away during a tick, a failed release). */
  readonly onError?: (error: unknown, during: string) => void;
}

export interface ScheduledEntry {
  readonly agent: Agent;
  readonly execution: AgentExecution;
  readonly timing: SchedulerDefaults;
}

export interface ActiveRun {
  readonly entry: ScheduledEntry;
  /** The fencing token the flavour handed out at acquisition (lock value / WORKZ score). */
  token: string;
  /** Local clock at start; drives next-run arithmetic. */
  readonly startMs: number;
  readonly controller: AbortController;
  state: 'running' | 'done' | 'abandoned';
  /** A guarded write is in progress: the lease covers it, so the local timeout waits for it. */
  writing: boolean;
  settled?: Promise<void>;
}

/** An agent this node won in a tick, with the token proving it. */
export interface Acquired {
  readonly entry: ScheduledEntry;
  readonly token: string;
}

/**
 * What the two Redis flavours share: registration, the tick loop with capacity and shuffling, the
 * node-enabled switch, local timeouts, instrumentation, and `guardedWrite` fencing. A flavour
 * supplies how to acquire, verify, release and forget a lock.
 */
export abstract class ClusteredSchedulerBase implements AgentScheduler {
  abstract readonly kind: string;
  readonly instrumentation: AgentInstrumentation;
  readonly nodeId: string;
  protected readonly keyPrefix: string;
  protected readonly defaults: SchedulerDefaults;
  protected readonly lockGraceMs: number;
  protected readonly entries = new Map<string, ScheduledEntry>();
  protected readonly running = new Map<string, ActiveRun>();
  private readonly tickMs: number;
  private readonly maxConcurrent: number;
  private readonly enabledPattern: RegExp;
  private readonly nodeEnabled: () => boolean;
  private readonly onError: (error: unknown, during: string) => void;
  private tickTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  protected started = false;
  protected stopping = false;

  constructor(options: ClusteredSchedulerOptions) {
    this.nodeId = options.nodeId ?? defaultNodeId();
    this.keyPrefix = options.keyPrefix ?? 'stratus:agents';
    this.defaults = {
      intervalMs: options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.intervalMs,
      errorIntervalMs: options.errorIntervalMs ?? options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.errorIntervalMs,
      timeoutMs: options.timeoutMs ?? DEFAULT_SCHEDULER_DEFAULTS.timeoutMs,
    };
    this.tickMs = Math.max(1, options.tickMs ?? 1000);
    this.maxConcurrent = Math.max(1, options.maxConcurrentAgents ?? 1000);
    this.lockGraceMs = Math.max(0, options.lockGraceMs ?? 1000);
    const pattern = options.enabledPattern ?? '.*';
    this.enabledPattern = pattern instanceof RegExp ? pattern : new RegExp(`^(?:${pattern})$`);
    this.nodeEnabled = options.nodeEnabled ?? (() => true);
    this.instrumentation = options.instrumentation ?? new AgentInstrumentation();
    this.onError = options.onError ?? (() => undefined);
  }

  // ---- flavour hooks ----

  /** Tries to take up to `capacity` of the (shuffled) candidates; returns the ones won. */
  protected abstract acquire(candidates: readonly ScheduledEntry[], capacity: number): Promise<Acquired[]>;
  /** Atomically confirms the run still owns its agent and extends the lease over the write; false = lost. */
  protected abstract confirmAndExtend(run: ActiveRun): Promise<boolean>;
  /** Ends a run: the agent may run again `nextRunInMs` from now (owner-only). */
  protected abstract release(run: ActiveRun, nextRunInMs: number): Promise<void>;
  /** Drops the lock of an unscheduled or shut-down run so any node may take the agent (owner-only). */
  protected abstract forget(agentType: string, run: ActiveRun | undefined): Promise<void>;
  /** Work done at the start of each tick (re-seeding, re-queueing timed-out work). */
  protected async beforeTick(): Promise<void> {}
  /** Whether this node may run the agent at all right now (sharding). */
  protected accepts(_agent: Agent): boolean {
    return true;
  }
  /**
   * This node's claim on the agent after a run, for writes between runs (watch streams); undefined
   * when the flavour cannot fence them. Implementations must refuse once `entry` is no longer
   * scheduled here ({@link isCurrent}).
   */
  protected ownershipFor(_entry: ScheduledEntry): AgentOwnership | undefined {
    return undefined;
  }
  /** Whether `entry` is still this node's registration of its agent and the node is not stopping. */
  protected isCurrent(entry: ScheduledEntry): boolean {
    return !this.stopping && this.entries.get(entry.agent.agentType) === entry;
  }
  protected onScheduled(_entry: ScheduledEntry): void {}
  protected async onStart(): Promise<void> {}
  protected async onStop(): Promise<void> {}

  // ---- AgentScheduler ----

  schedule(agent: Agent, execution: AgentExecution): void {
    if (!this.enabledPattern.test(agent.agentType.toLowerCase())) return;
    this.unschedule(agent.agentType);
    const entry: ScheduledEntry = { agent, execution, timing: timingOf(agent, this.defaults) };
    this.entries.set(agent.agentType, entry);
    this.onScheduled(entry);
  }

  unschedule(agentType: string): void {
    const entry = this.entries.get(agentType);
    if (!entry) return;
    this.entries.delete(agentType);
    const run = this.running.get(agentType);
    if (run) {
      run.state = 'abandoned';
      this.running.delete(agentType);
      run.controller.abort(new StaleRunError(agentType, 'agent unscheduled'));
    }
    void this.forget(agentType, run).catch((error) => this.onError(error, `unschedule ${agentType}`));
  }

  scheduledAgentTypes(): string[] {
    return [...this.entries.keys()];
  }

  /** Agent types with a run in flight on this node. */
  runningAgentTypes(): string[] {
    return [...this.running.keys()];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    void this.onStart()
      .catch((error) => this.onError(error, 'start'))
      .finally(() => this.scheduleTick(0));
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.tickTimer);
    await this.ticking;
    const inFlight = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(inFlight.flatMap((run) => run.settled ?? [])), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const run of inFlight) {
      if (run.state !== 'running') continue;
      run.state = 'abandoned';
      this.running.delete(run.entry.agent.agentType);
      run.controller.abort(new StaleRunError(run.entry.agent.agentType, 'scheduler stopped'));
      await this.forget(run.entry.agent.agentType, run).catch((error) => this.onError(error, 'stop'));
    }
    await this.onStop().catch((error) => this.onError(error, 'stop'));
    this.started = false;
  }

  // ---- the tick ----

  private scheduleTick(delayMs: number): void {
    if (this.stopping) return;
    this.tickTimer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        // Jitter keeps the nodes' tick phases drifting, so no node keeps winning every due agent.
        this.scheduleTick(this.tickMs * (0.75 + Math.random() * 0.5));
      });
    }, delayMs);
    this.tickTimer.unref?.();
  }

  /** One acquisition round; public so tests and admin tooling can force one. */
  async tick(): Promise<void> {
    try {
      await this.beforeTick();
      if (this.stopping || !this.nodeEnabled()) return;
      const capacity = this.maxConcurrent - this.running.size;
      if (capacity <= 0) return;
      const candidates = shuffle([...this.entries.values()].filter((entry) => !this.running.has(entry.agent.agentType) && this.accepts(entry.agent)));
      if (candidates.length === 0) return;
      const won = await this.acquire(candidates, capacity);
      for (const { entry, token } of won) {
        // Unscheduled or stopped while we were acquiring: give the lock straight back.
        if (this.stopping || this.entries.get(entry.agent.agentType) !== entry) {
          await this.forget(entry.agent.agentType, this.pseudoRun(entry, token)).catch((error) => this.onError(error, 'tick'));
          continue;
        }
        this.startRun(entry, token);
      }
    } catch (error) {
      this.onError(error, 'tick');
    }
  }

  private pseudoRun(entry: ScheduledEntry, token: string): ActiveRun {
    return { entry, token, startMs: Date.now(), controller: new AbortController(), state: 'abandoned', writing: false };
  }

  private startRun(entry: ScheduledEntry, token: string): void {
    const { agent, timing } = entry;
    const run: ActiveRun = { entry, token, startMs: Date.now(), controller: new AbortController(), state: 'running', writing: false };
    this.running.set(agent.agentType, run);
    this.instrumentation.started(agent, run.startMs);

    const timeout = setTimeout(() => this.onTimeout(run), timing.timeoutMs);
    timeout.unref?.();
    const context: ExecutionContext = {
      signal: run.controller.signal,
      guardedWrite: (write) => this.guardedWrite(run, write),
    };
    const ownership = this.ownershipFor(entry);
    if (ownership) Object.assign(context, { ownership });

    run.settled = (async () => {
      let outcome;
      let failure: unknown;
      let ok = false;
      try {
        outcome = await entry.execution.execute(context);
        ok = true;
      } catch (error) {
        failure = error;
      }
      clearTimeout(timeout);
      if (run.state !== 'running') return; // timed out or unscheduled: already accounted for
      run.state = 'done';
      if (this.running.get(agent.agentType) === run) this.running.delete(agent.agentType);
      const elapsed = Date.now() - run.startMs;
      let nextInMs: number;
      if (ok && !run.controller.signal.aborted) {
        this.instrumentation.completed(agent, elapsed, outcome!);
        nextInMs = run.startMs + timing.intervalMs - Date.now();
      } else {
        const reason = ok ? run.controller.signal.reason : failure;
        const kind = reason instanceof StaleRunError || run.controller.signal.aborted ? 'discarded' : 'failure';
        this.instrumentation.failed(agent, elapsed, reason, kind);
        nextInMs = run.startMs + timing.errorIntervalMs - Date.now();
      }
      await this.release(run, nextInMs).catch((error) => this.onError(error, `release ${agent.agentType}`));
    })();
  }

  private onTimeout(run: ActiveRun): void {
    // A write in progress holds an extended lease; let it finish and settle normally.
    if (run.state !== 'running' || run.writing) return;
    const { agent, timing } = run.entry;
    run.state = 'abandoned';
    if (this.running.get(agent.agentType) === run) this.running.delete(agent.agentType);
    run.controller.abort(new StaleRunError(agent.agentType, `run exceeded its timeout of ${timing.timeoutMs} ms`));
    this.instrumentation.failed(agent, Date.now() - run.startMs, run.controller.signal.reason, 'timeout');
    void this.release(run, run.startMs + timing.errorIntervalMs - Date.now()).catch((error) => this.onError(error, `timeout ${agent.agentType}`));
  }

  private async guardedWrite<T>(run: ActiveRun, write: () => Promise<T>): Promise<T> {
    const agentType = run.entry.agent.agentType;
    const refuse = (reason: string): never => {
      throw run.controller.signal.aborted ? (run.controller.signal.reason ?? new StaleRunError(agentType, reason)) : new StaleRunError(agentType, reason);
    };
    if (run.state !== 'running' || run.controller.signal.aborted) refuse('the run was abandoned');
    if (!(await this.confirmAndExtend(run))) {
      run.controller.abort(new StaleRunError(agentType, 'the lock was lost to another node'));
      refuse('the lock was lost to another node');
    }
    if (run.state !== 'running' || run.controller.signal.aborted) refuse('the run was abandoned');
    run.writing = true;
    try {
      return await write();
    } finally {
      run.writing = false;
    }
  }
}
