import type { Dialect, QueryExecutorProvider } from 'kysely';
import type { Logger } from '@stratus/plugin-api';
import type { DdlFlavor } from './ddl-flavor.js';
import type { SqlDialectName } from './sql-dialect-name.js';

/**
 * Everything that differs between PostgreSQL, MySQL/MariaDB and SQLite, one small interface per
 * concern (kysely's own dialect pattern: the rest of the package writes portable SQL and asks the
 * adapter for the parts that are not). Each dialect implements all of them in its own file
 * (`postgres-dialect.ts`, `mysql-dialect.ts`, `sqlite-dialect.ts`); `dialectAdapter(name)` picks one
 * once, when the pool is opened. Statement texts returned here use `?` placeholders; callers pass
 * them through {@link SqlParameters.statement} (which the statement classes do once per text).
 */
export interface SqlDialectAdapter
  extends SqlConnector, SqlParameters, SqlIdLists, SqlInsertIgnore, SqlJsonText, SqlPrefixMatch, SqlLocking, SqlCacheUpsert, SqlSchema, SqlStatistics {
  readonly name: SqlDialectName;
}

/** Refreshing the planner's statistics after large merges (see docs/sql.md, planner statistics). */
export interface SqlStatistics {
  /** The statement that refreshes a table's statistics, or undefined when the dialect needs none. */
  analyzeStatement(table: string): string | undefined;
}

/** What a dialect needs to open its pool. */
export interface SqlConnectOptions {
  readonly url: string;
  /** Pool size (SQLite always uses one connection). */
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  readonly logger?: Logger;
}

/** Opening the driver's pool, and the driver's hard limits. */
export interface SqlConnector {
  /** Most bind parameters one statement may carry. */
  readonly maxBindParameters: number;
  /** The kysely dialect over a new pool for the URL. */
  connect(options: SqlConnectOptions): Dialect;
}

/** How bind parameters are written in statement text. */
export interface SqlParameters {
  /** Rewrites `?` placeholders into the dialect's own (`$1, $2, …` on PostgreSQL). */
  statement(text: string): string;
  /** `?, ?, …` (or `$k, …`) for `count` parameters starting at 1-based `from`. */
  placeholders(count: number, from: number): string;
}

/** How a list of ids is matched: one array parameter, or one parameter per id. */
export interface SqlIdLists {
  /** True when a whole list binds as one parameter, so a statement's text does not depend on the list's length. */
  readonly bindsWholeList: boolean;
  /** `column = any(?)` or `column in (?, ?, …)` for `count` ids. */
  inList(column: string, count: number): string;
  /** The parameters an {@link inList} condition binds. */
  listParams(ids: readonly string[]): unknown[];
}

/** Inserts that skip rows whose key already exists. */
export interface SqlInsertIgnore {
  /** `insert … values <rows>` that silently skips duplicates; `returning` columns where supported. */
  insertIgnore(table: string, columns: string, rows: string, returning?: string): string;
  /** False on MySQL: no `returning`, the caller reads back which rows it got. */
  readonly returnsInsertedRows: boolean;
}

/** JSON text assembled in SQL. */
export interface SqlJsonText {
  /** `[first, second|null]` as one JSON array text (string concatenation; `first` is never null). */
  jsonPair(first: string, second: string): string;
}

/** A case-sensitive id prefix search that can use the primary key. */
export interface SqlPrefixMatch {
  /** A condition on `column` binding one parameter, the pattern from {@link prefixPattern}. */
  prefixCondition(column: string): string;
  prefixPattern(prefix: string): string;
}

/** Row locks and transaction isolation. */
export interface SqlLocking {
  /** Appended to a `select` that must lock its rows until the transaction ends ('' where writers are serialised anyway). */
  readonly forUpdate: string;
  /** The isolation level transactions ask for; undefined where there is only one (SQLite serialises writers). */
  readonly isolation: 'read committed' | undefined;
  /** Whether replicas can share the lock table of the clustered scheduler (not SQLite: one file, one host). */
  readonly supportsClusteredScheduler: boolean;
}

/** One cache row as the upsert binds it (the cache's encoded item). */
export interface CacheUpsertRow {
  readonly id: string;
  readonly application: string | null;
  readonly attributes: string | null;
  readonly relationships: string | null;
  readonly expiresAt: number | null;
  readonly bodyHash: string;
}

/**
 * The cache upsert: attributes replace the stored map unless the merge had none (`null`);
 * relationship names merge into the stored JSON object (top-level keys replaced, others kept), so
 * two agents writing edges to one item never lose each other's lists.
 */
export interface SqlCacheUpsert {
  /** The upsert of `count` rows into `table` (columns ns, type, id, application, attributes, relationships, expires_at, body_hash). */
  cacheUpsert(table: string, count: number): string;
  /**
   * True when {@link cacheUpsert} returns the `id` of every row it inserted or changed (PostgreSQL:
   * rows its hash condition left alone are not returned); elsewhere it returns nothing.
   */
  readonly upsertReturnsIds?: boolean;
  /** The parameters of {@link cacheUpsert} for the rows. */
  cacheUpsertParams(namespace: string, type: string, rows: readonly CacheUpsertRow[]): unknown[];
  /** True when all rows bind as one parameter, so the upsert's text does not depend on the row count. */
  readonly upsertBindsAllRows: boolean;
  /** Rows per upsert statement for a requested batch size (capped under the bind-parameter limit where rows bind one by one). */
  upsertRowsPerStatement(requested: number): number;
  /** Statement size the server accepts (MySQL's packet limit); undefined when there is none worth splitting for. */
  readonly maxStatementBytes: number | undefined;
  /**
   * Present where the upsert itself leaves rows with an unchanged body hash alone (PostgreSQL): a
   * statement returning the ids of a JSON `[{id, h}]` list whose stored hash differs or that are not
   * stored, binding (list, ns, type). Elsewhere the store reads the stored hashes and compares them.
   */
  changedIds?(table: string): string;
}

/** Schema migrations. */
export interface SqlSchema {
  /** Column types and options for DDL (may ask the server for its version). */
  ddlFlavor(db: QueryExecutorProvider): Promise<DdlFlavor>;
  /** How often a failed migration run is retried (SQLite: a run that lost the race to another process rolled back). */
  readonly migrationRetries: number;
}
