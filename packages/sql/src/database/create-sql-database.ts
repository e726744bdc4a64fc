import { Kysely } from 'kysely';
import { definedOnly } from '@stratus/core';
import type { Logger } from '@stratus/plugin-api';
import { redactStoreUrl } from '@stratus/core';
import { dialectAdapter } from '../dialects/dialect-adapter.js';
import type { SqlDialectName } from '../dialects/sql-dialect-name.js';
import { SqlDatabase } from './sql-database.js';
import type { StratusTables } from './stratus-tables.js';
import { tableNames } from './table-names.js';

export interface SqlConnectionOptions {
  /** `postgres://…`, `postgresql://…`, `mysql://…`, `mariadb://…` or `sqlite:<path>` (`sqlite::memory:`). */
  readonly url: string;
  readonly tableNamespace?: string;
  /** Pool size (default 10; SQLite always uses one connection). */
  readonly maxConnections?: number;
  /** How long to wait for a new connection before failing (default 5 s). */
  readonly connectTimeoutMs?: number;
  readonly pingTimeoutMs?: number;
  readonly logger?: Logger;
}

/** The dialect a connection URL names, or a clear error. */
export function dialectOfUrl(url: string): SqlDialectName {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  if (/^sqlite:/i.test(url)) return 'sqlite';
  throw new Error(`sql.connectionPools.default.url: unsupported URL '${redact(url)}' (expected postgres://, mysql://, mariadb:// or sqlite:<path>)`);
}

/** Hides a password in a URL before it reaches a log or an error message (core's rule for every store URL). */
export const redact: (url: string) => string = redactStoreUrl;

/**
 * Opens a pool for a URL (through the dialect's adapter, src/dialects/) and wraps it in a
 * {@link SqlDatabase}. Pools are built to survive outages: errors on idle connections are logged
 * instead of crashing the process, connection attempts time out, and MySQL sessions run READ
 * COMMITTED (InnoDB's REPEATABLE READ gap locks are the usual source of deadlocks between
 * concurrent upserts). A transaction left idle for `IDLE_TRANSACTION_TIMEOUT_SECONDS` is ended by
 * the server (PostgreSQL, MariaDB): a replica paused or hung mid-transaction must not hold a task's
 * row lock, or no other replica could take its tasks over (docs/operator-guide.md, "Task leases").
 */
export function createSqlDatabase(options: SqlConnectionOptions): SqlDatabase {
  const adapter = dialectAdapter(dialectOfUrl(options.url));
  const dialect = adapter.connect(
    definedOnly({
      url: options.url,
      maxConnections: Math.max(1, options.maxConnections ?? 10),
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      logger: options.logger,
    }),
  );
  return new SqlDatabase(
    new Kysely<StratusTables>({ dialect }),
    adapter,
    tableNames(options.tableNamespace),
    definedOnly({ pingTimeoutMs: options.pingTimeoutMs }),
  );
}
