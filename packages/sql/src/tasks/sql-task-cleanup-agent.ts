import type { Agent } from '@stratus/plugin-api';
import type { AgentExecution, ExecutionContext, ExecutionOutcome } from '@stratus/core';
import type { SqlTaskRepository } from './sql-task-repository.js';

export interface SqlTaskCleanupOptions {
  /** Completed tasks older than this are deleted (`sql.agent.taskCleanup.completedTtlMs`, 4 days). */
  readonly completedTtlMs?: number;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/**
 * Housekeeping agent (Clouddriver's SqlTaskCleanupAgent): deletes tasks whose final state is older
 * than the TTL, in batches. Not bound to an account, so sharding never skips it; schedule it with
 * whatever scheduler the node runs (the clustered one runs it on one replica at a time).
 */
export class SqlTaskCleanupAgent implements Agent, AgentExecution {
  readonly agentType = 'SqlTaskCleanupAgent';
  readonly providerName = 'core';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly #completedTtlMs: number;
  readonly #batchSize: number;
  readonly #now: () => number;

  constructor(
    private readonly repository: SqlTaskRepository,
    options: SqlTaskCleanupOptions = {},
  ) {
    this.#completedTtlMs = options.completedTtlMs ?? 4 * 24 * 60 * 60 * 1000;
    this.#batchSize = options.batchSize ?? 100;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.timeoutMs = Math.max(this.intervalMs * 2, 60_000);
    this.#now = options.now ?? Date.now;
  }

  async execute(context: ExecutionContext): Promise<ExecutionOutcome> {
    const cutoff = this.#now() - this.#completedTtlMs;
    const itemsEvicted = await context.guardedWrite(() => this.repository.deleteCompletedBefore(cutoff, this.#batchSize));
    return { itemsEvicted, details: { cutoff } };
  }
}
