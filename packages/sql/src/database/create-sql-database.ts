import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { Logger } from '@stratus/plugin-api';
import { SqlDatabase } from './sql-database.js';
import type { SqlDialectName } from './sql-dialect-name.js';
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

/** Hides a password in a URL before it reaches a log or an error message. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** The file path of a `sqlite:` URL (`sqlite:data/stratus.db`, `sqlite:///abs/path.db`, `sqlite::memory:`). */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/i, '');
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

/**
 * Opens a pool for a URL and wraps it in a {@link SqlDatabase}. Pools are built to survive outages:
 * errors on idle connections are logged instead of crashing the process, connection attempts time
 * out, and MySQL sessions run READ COMMITTED (InnoDB's REPEATABLE READ gap locks are the usual
 * source of deadlocks between concurrent upserts). A transaction left idle for
 * {@link IDLE_TRANSACTION_TIMEOUT_SECONDS} is ended by the server (PostgreSQL, MariaDB): a replica
 * paused or hung mid-transaction must not hold a task's row lock, or no other replica could take
 * its tasks over (docs/operator-guide.md, "Task leases").
 */
export const IDLE_TRANSACTION_TIMEOUT_SECONDS = 10;

export function createSqlDatabase(options: SqlConnectionOptions): SqlDatabase {
  const dialectName = dialectOfUrl(options.url);
  const max = Math.max(1, options.maxConnections ?? 10);
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const log = options.logger;
  let dialect: Dialect;

  if (dialectName === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      idle_in_transaction_session_timeout: IDLE_TRANSACTION_TIMEOUT_SECONDS * 1000,
    });
    pool.on('error', (error) => log?.warn({ err: error }, 'idle PostgreSQL connection failed'));
    // pg-pool drops its error listener while a client is checked out; a connection lost then would
    // emit an unhandled 'error' and kill the process. The query itself still rejects.
    pool.on('connect', (client) => client.on('error', (error) => log?.warn({ err: error }, 'PostgreSQL connection lost')));
    dialect = new PostgresDialect({ pool });
  } else if (dialectName === 'mysql') {
    const pool = createMysqlPool({
      uri: options.url.replace(/^mariadb:/i, 'mysql:'),
      connectionLimit: max,
      connectTimeout: connectTimeoutMs,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      timezone: 'Z',
      enableKeepAlive: true,
    });
    pool.on('error' as never, (error: unknown) => log?.warn({ err: error }, 'MySQL pool error'));
    dialect = new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
        // MariaDB only (MySQL has no such variable; there the attempt fails harmlessly).
        await connection.executeQuery(CompiledQuery.raw(`SET SESSION idle_transaction_timeout = ${IDLE_TRANSACTION_TIMEOUT_SECONDS}`)).catch(() => undefined);
      },
    });
  } else {
    const db = new Database(sqlitePath(options.url));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    dialect = new SqliteDialect({ database: db });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
  return new SqlDatabase(new Kysely<any>({ dialect }), dialectName, tableNames(options.tableNamespace), {
    pingTimeoutMs: options.pingTimeoutMs,
  });
}
