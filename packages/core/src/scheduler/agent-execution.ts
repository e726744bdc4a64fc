import type { AgentOwnership } from '@stratus/plugin-api';

/** What a scheduler hands to every run. */
export interface ExecutionContext {
  /** Aborted when the run is abandoned (timeout, unschedule, lost lock, shutdown). */
  readonly signal: AbortSignal;
  /**
   * Performs `write` only while this run still owns its agent; otherwise rejects with a
   * `StaleRunError` and writes nothing. Schedulers implement it with whatever fencing they have
   * (timeout flag in memory, an owner check on the lock in Redis/SQL).
   */
  guardedWrite<T>(write: () => Promise<T>): Promise<T>;
  /**
   * This replica's claim on the agent after the run (watch streams writing between runs), fenced
   * like `guardedWrite`; absent when the scheduler cannot fence such writes.
   */
  readonly ownership?: AgentOwnership;
}

/** What one run reports to instrumentation. */
export interface ExecutionOutcome {
  readonly itemsWritten?: number;
  readonly itemsEvicted?: number;
  readonly details?: Record<string, unknown>;
}

/** One run of an agent, as the scheduler sees it. */
export interface AgentExecution {
  execute(context: ExecutionContext): Promise<ExecutionOutcome>;
}
