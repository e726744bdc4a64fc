import type { Agent } from '@stratus/plugin-api';
import type { AgentExecution } from './agent-execution.js';
import type { AgentInstrumentation } from './agent-instrumentation.js';

/** A lock on one agent held by an on-demand refresh (atomic schedulers only). */
export interface AgentLock {
  readonly agentType: string;
  readonly token: string;
}

/**
 * Runs agents on their intervals. Implementations: the single-node scheduler (core), the clustered
 * Redis schedulers and the SQL scheduler; all run the scheduler contract suite.
 */
export interface AgentScheduler {
  /** `single-node`, `redis`, `redis-sort`, `sql`, `none`. */
  readonly kind: string;
  readonly instrumentation: AgentInstrumentation;
  /** Registers an agent; replaces an agent with the same type. Runs start once `start()` was called. */
  schedule(agent: Agent, execution: AgentExecution): void;
  /** Forgets an agent; a run in flight is abandoned and its result discarded. */
  unschedule(agentType: string): void;
  scheduledAgentTypes(): string[];
  start(): void;
  /** Stops taking new runs and waits (up to `graceMs`) for runs in flight, then aborts them. */
  stop(graceMs?: number): Promise<void>;
  /** True when on-demand refreshes can lock agents (`tryLock` and friends). */
  readonly atomic?: boolean;
  tryLock?(agentType: string): Promise<AgentLock | undefined>;
  lockValid?(lock: AgentLock): Promise<boolean>;
  tryRelease?(lock: AgentLock): Promise<boolean>;
}

/** Interval defaults (Clouddriver: 30 s interval and error interval, 300 s timeout). */
export interface SchedulerDefaults {
  readonly intervalMs: number;
  readonly errorIntervalMs: number;
  readonly timeoutMs: number;
}

export const DEFAULT_SCHEDULER_DEFAULTS: SchedulerDefaults = { intervalMs: 30_000, errorIntervalMs: 30_000, timeoutMs: 300_000 };

/** An agent's effective timing: its own values, else the defaults (error interval falls back to its interval). */
export function timingOf(agent: Agent, defaults: SchedulerDefaults): SchedulerDefaults {
  const intervalMs = agent.intervalMs && agent.intervalMs > 0 ? agent.intervalMs : defaults.intervalMs;
  return {
    intervalMs,
    errorIntervalMs: agent.errorIntervalMs && agent.errorIntervalMs > 0 ? agent.errorIntervalMs : agent.intervalMs ? intervalMs : defaults.errorIntervalMs,
    timeoutMs: agent.timeoutMs && agent.timeoutMs > 0 ? agent.timeoutMs : defaults.timeoutMs,
  };
}
