import type { Logger } from '@stratus/plugin-api';
import type { SqlDatabase } from '../database/sql-database.js';

export interface CacheTableStatisticsOptions {
  /** Rows written since the last refresh before another one is worth it (default 1,000). */
  readonly minRows?: number;
  /** Least time between two refreshes, unless the table has doubled since the last (default 60 s). */
  readonly minIntervalMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
}

/**
 * Keeps the planner statistics of the cache table fresh after large merges (`ANALYZE`), so a fresh
 * or autovacuum-less PostgreSQL plans id lookups on the primary key. Without statistics it takes
 * the table for tiny and scans the `(ns, application, type)` index with `id = any(…)` as a mere
 * filter: ~1.6 s instead of ~1 ms per 500-id batch on 50,000 rows (docs/sql.md, "Planner statistics").
 * MySQL/MariaDB get `ANALYZE TABLE` on the same schedule; SQLite needs none.
 *
 * Throttled: a refresh runs at the end of a merge once `minRows` rows were written since the last
 * one, at most every `minIntervalMs`, except when the rows written since then reach the table's
 * written total at that time (the table roughly doubled: a cold load). Runs in the background; a
 * failure is logged and retried with the next large merge.
 */
export class CacheTableStatistics {
  readonly #minRows: number;
  readonly #minIntervalMs: number;
  readonly #now: () => number;
  #pending = 0;
  #writtenAtLastRun = 0;
  #total = 0;
  #lastRunAt = Number.NEGATIVE_INFINITY;
  #running: Promise<void> | undefined;
  /** Completed refreshes, for tests and metrics. */
  runs = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: CacheTableStatisticsOptions = {},
  ) {
    this.#minRows = options.minRows ?? 1_000;
    this.#minIntervalMs = options.minIntervalMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Called after each merge with the rows it wrote; may start a refresh in the background. */
  noteWritten(rows: number): void {
    if (this.db.adapter.analyzeStatement('') === undefined || rows <= 0) return;
    this.#pending += rows;
    this.#total += rows;
    if (this.#running || this.#pending < this.#minRows) return;
    const doubled = this.#pending >= this.#writtenAtLastRun;
    if (!doubled && this.#now() - this.#lastRunAt < this.#minIntervalMs) return;
    this.#running = this.#refresh().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves when no refresh is in flight. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #refresh(): Promise<void> {
    const pending = this.#pending;
    this.#pending = 0;
    this.#lastRunAt = this.#now();
    this.#writtenAtLastRun = this.#total;
    const table = this.db.tables.cacheItems;
    const statement = this.db.adapter.analyzeStatement(table);
    if (statement === undefined) return;
    try {
      await this.db.rows(statement, []);
      this.runs++;
      this.options.logger?.debug({ table, rowsSinceLast: pending }, 'cache table statistics refreshed');
    } catch (error) {
      this.#pending += pending;
      this.options.logger?.warn({ table, err: error }, 'refreshing the cache table statistics failed; retried after the next large merge');
    }
  }
}
