import type { Agent } from '@stratus/plugin-api';
import { StaleRunError } from './stale-run-error.js';
import type { AgentExecution, ExecutionContext } from './agent-execution.js';
import { AgentInstrumentation } from './agent-instrumentation.js';
import { DEFAULT_SCHEDULER_DEFAULTS, timingOf, type AgentScheduler, type SchedulerDefaults } from './agent-scheduler.js';

export interface SingleNodeSchedulerOptions extends Partial<SchedulerDefaults> {
  /** How many agents may run at once (default 100). */
  readonly maxConcurrentAgents?: number;
  readonly instrumentation?: AgentInstrumentation;
  readonly now?: () => number;
}

interface Entry {
  readonly agent: Agent;
  readonly execution: AgentExecution;
  timer?: NodeJS.Timeout;
  /** The run in flight, if any; cleared when it settles or is abandoned. */
  /** The run in flight; undefined once it settles. */
  run?: { controller: AbortController; settled: Promise<void> } | undefined;
  queued: boolean;
}

/**
 * Runs agents in this process: each agent at its own fixed rate (next start = last start +
 * interval, error interval after a failure), at most `maxConcurrentAgents` at once, never two sanctioned
 * runs of one agent at the same time. A run past its timeout is abandoned: its signal is aborted, the
 * slot is freed, and whatever it returns later is discarded (its `guardedWrite` refuses).
 */
export class SingleNodeScheduler implements AgentScheduler {
  readonly kind = 'single-node';
  readonly instrumentation: AgentInstrumentation;
  private readonly defaults: SchedulerDefaults;
  private readonly maxConcurrent: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly ready: Entry[] = [];
  private running = 0;
  private started = false;
  private stopping = false;

  constructor(options: SingleNodeSchedulerOptions = {}) {
    this.defaults = {
      intervalMs: options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.intervalMs,
      errorIntervalMs: options.errorIntervalMs ?? options.intervalMs ?? DEFAULT_SCHEDULER_DEFAULTS.errorIntervalMs,
      timeoutMs: options.timeoutMs ?? DEFAULT_SCHEDULER_DEFAULTS.timeoutMs,
    };
    this.maxConcurrent = Math.max(1, options.maxConcurrentAgents ?? 100);
    this.instrumentation = options.instrumentation ?? new AgentInstrumentation();
    this.now = options.now ?? Date.now;
  }

  schedule(agent: Agent, execution: AgentExecution): void {
    this.unschedule(agent.agentType);
    const entry: Entry = { agent, execution, queued: false };
    this.entries.set(agent.agentType, entry);
    if (this.started && !this.stopping) this.enqueue(entry);
  }

  unschedule(agentType: string): void {
    const entry = this.entries.get(agentType);
    if (!entry) return;
    this.entries.delete(agentType);
    clearTimeout(entry.timer);
    const index = this.ready.indexOf(entry);
    if (index >= 0) this.ready.splice(index, 1);
    entry.run?.controller.abort(new StaleRunError(agentType, 'agent unscheduled'));
  }

  scheduledAgentTypes(): string[] {
    return [...this.entries.keys()];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) this.enqueue(entry);
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
    this.ready.length = 0;
    const inFlight = [...this.entries.values()].flatMap((entry) => (entry.run ? [entry.run] : []));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(inFlight.map((run) => run.settled)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const run of inFlight) run.controller.abort(new Error('scheduler stopped'));
  }

  private enqueue(entry: Entry): void {
    if (entry.queued || this.entries.get(entry.agent.agentType) !== entry) return;
    entry.queued = true;
    this.ready.push(entry);
    this.pump();
  }

  private later(entry: Entry, delayMs: number): void {
    if (this.stopping || this.entries.get(entry.agent.agentType) !== entry) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.enqueue(entry), Math.max(0, delayMs));
    entry.timer.unref?.();
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.ready.length > 0 && !this.stopping) {
      const entry = this.ready.shift()!;
      entry.queued = false;
      if (entry.run || this.entries.get(entry.agent.agentType) !== entry) continue;
      this.runOnce(entry);
    }
  }

  private runOnce(entry: Entry): void {
    const { agent } = entry;
    const timing = timingOf(agent, this.defaults);
    const controller = new AbortController();
    const startMs = this.now();
    let abandoned = false;
    this.running++;
    this.instrumentation.started(agent, startMs);

    const release = (nextDelayMs: number) => {
      if (entry.run?.controller === controller) entry.run = undefined;
      this.running--;
      this.later(entry, nextDelayMs);
      this.pump();
    };

    const timeout = setTimeout(() => {
      abandoned = true;
      controller.abort(new StaleRunError(agent.agentType, `run exceeded its timeout of ${timing.timeoutMs} ms`));
      this.instrumentation.failed(agent, this.now() - startMs, controller.signal.reason, 'timeout');
      release(startMs + timing.errorIntervalMs - this.now());
    }, timing.timeoutMs);
    timeout.unref?.();

    // One process: the agent is this node's for as long as it stays scheduled here.
    const owned = () => !this.stopping && this.entries.get(agent.agentType) === entry;
    const context: ExecutionContext = {
      signal: controller.signal,
      guardedWrite: async <T>(write: () => Promise<T>): Promise<T> => {
        if (controller.signal.aborted) throw controller.signal.reason ?? new StaleRunError(agent.agentType, 'aborted');
        return write();
      },
      ownership: {
        owned: async () => owned(),
        writeIfOwned: async (write) => {
          if (!owned()) return false;
          await write();
          return true;
        },
      },
    };

    const settled = (async () => {
      try {
        const outcome = await entry.execution.execute(context);
        if (abandoned) return;
        clearTimeout(timeout);
        if (controller.signal.aborted) {
          this.instrumentation.failed(agent, this.now() - startMs, controller.signal.reason, 'discarded');
          return release(startMs + timing.errorIntervalMs - this.now());
        }
        this.instrumentation.completed(agent, this.now() - startMs, outcome);
        release(startMs + timing.intervalMs - this.now());
      } catch (error) {
        if (abandoned) return;
        clearTimeout(timeout);
        const kind = error instanceof StaleRunError || controller.signal.aborted ? 'discarded' : 'failure';
        this.instrumentation.failed(agent, this.now() - startMs, error, kind);
        release(startMs + timing.errorIntervalMs - this.now());
      }
    })();
    entry.run = { controller, settled };
  }
}
