import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { mysqlDialect } from '../dialects/mysql-dialect.js';
import { postgresDialect } from '../dialects/postgres-dialect.js';
import type { SqlDialectAdapter } from '../dialects/sql-dialect-adapter.js';
import type { SqlDialectName } from '../dialects/sql-dialect-name.js';
import { sqliteDialect } from '../dialects/sqlite-dialect.js';
import { SqlUnavailableError, isConnectionError } from './sql-unavailable-error.js';
import type { StratusTables } from './stratus-tables.js';
import type { TableNames } from './table-names.js';

/** Either the database or a transaction on it; statements run on whichever is given. */
export type SqlExecutor = Kysely<StratusTables> | Transaction<StratusTables>;

/** Most bind parameters one statement may carry (PostgreSQL's wire limit; SQLite allows 32,766). */
export const MAX_BIND_PARAMETERS = {
  postgres: postgresDialect.maxBindParameters,
  mysql: mysqlDialect.maxBindParameters,
  sqlite: sqliteDialect.maxBindParameters,
} as const satisfies Record<SqlDialectName, number>;

const DEADLOCK_CODES = new Set(['40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']);

export interface SqlDatabaseOptions {
  /** Called by `close()`; the factory that created the pool passes its teardown here. */
  readonly onClose?: () => Promise<void>;
  /** How long `ping()` waits before declaring the database unreachable (default 2 s). */
  readonly pingTimeoutMs?: number;
}

/**
 * One connection pool plus the facts every adapter needs about it: the dialect's adapter (the SQL
 * that differs per dialect, see src/dialects/) and the table names. Hot statements are written as
 * SQL text with `?` placeholders, converted once per dialect with {@link SqlDatabase.statement} and
 * executed as precompiled queries (no query-builder allocation per call); migrations and
 * transactions go through kysely.
 */
export class SqlDatabase {
  readonly #onClose: (() => Promise<void>) | undefined;
  readonly #pingTimeoutMs: number;
  #closed = false;

  /** The dialect's name (`adapter.name`): `postgres`, `mysql` (also MariaDB) or `sqlite`. */
  readonly dialect: SqlDialectName;

  constructor(
    readonly kysely: Kysely<StratusTables>,
    readonly adapter: SqlDialectAdapter,
    readonly tables: TableNames,
    options: SqlDatabaseOptions = {},
  ) {
    this.dialect = adapter.name;
    this.#onClose = options.onClose;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  }

  /** Rewrites `?` placeholders to `$1, $2, …` on PostgreSQL; other dialects use `?` as is. */
  statement(text: string): string {
    return this.adapter.statement(text);
  }

  /** `?, ?, …` (or `$k, …` on PostgreSQL) for `count` parameters starting at 1-based `from`. */
  placeholders(count: number, from = 1): string {
    return this.adapter.placeholders(count, from);
  }

  async rows<R>(text: string, params: readonly unknown[], executor: SqlExecutor = this.kysely): Promise<R[]> {
    const result = await executor.executeQuery<R>(CompiledQuery.raw(text, params as unknown[]));
    return result.rows as R[];
  }

  /** Runs a statement and returns how many rows it affected (matched rows on MySQL, whose driver sets FOUND_ROWS). */
  async affected(text: string, params: readonly unknown[], executor: SqlExecutor = this.kysely): Promise<number> {
    const result = await executor.executeQuery(CompiledQuery.raw(text, params as unknown[]));
    return Number(result.numAffectedRows ?? 0n);
  }

  /** A READ COMMITTED transaction (SQLite transactions are serializable by nature). */
  transaction<T>(work: (trx: Transaction<StratusTables>) => Promise<T>): Promise<T> {
    const builder = this.kysely.transaction();
    const isolation = this.adapter.isolation;
    return (isolation ? builder.setIsolationLevel(isolation) : builder).execute(work);
  }

  /**
   * Runs `work`, retrying a few times when the database reports a deadlock or lock timeout, and
   * turning "cannot reach the database" into {@link SqlUnavailableError}.
   */
  async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new SqlUnavailableError(operation, { cause: new Error('the SQL pool is closed') });
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (isConnectionError(error)) throw error instanceof SqlUnavailableError ? error : new SqlUnavailableError(operation, { cause: error });
        if (attempt < 4 && isDeadlock(error)) {
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
          continue;
        }
        throw error;
      }
    }
  }

  /** Throws {@link SqlUnavailableError} when `select 1` does not answer within the ping timeout. */
  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`ping timed out after ${this.#pingTimeoutMs} ms`)), this.#pingTimeoutMs);
    });
    try {
      await this.guard('ping', () => Promise.race([this.rows('select 1 as ok', []), timeout]));
    } catch (error) {
      throw error instanceof SqlUnavailableError ? error : new SqlUnavailableError('ping', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the pool once; later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.kysely.destroy();
    await this.#onClose?.();
  }
}

function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const errno = (error as { errno?: unknown } | undefined)?.errno;
  return (typeof code === 'string' && DEADLOCK_CODES.has(code)) || errno === 1213 || errno === 1205;
}
