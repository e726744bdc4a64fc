import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { IDLE_TRANSACTION_TIMEOUT_SECONDS } from './idle-transaction-timeout.js';
import type { CacheUpsertRow, SqlConnectOptions, SqlDialectAdapter } from './sql-dialect-adapter.js';

const UPSERT_COLUMNS = 'ns, type, id, application, attributes, relationships, expires_at, body_hash';

/**
 * PostgreSQL. Lists bind as one parameter (`= any(?::text[])`, `json_to_recordset(?::json)`), so
 * every statement has one text however many ids or rows it carries; node-postgres serialises a JS
 * string array ~40x slower than `JSON.stringify`, hence JSON for the upsert rows.
 */
export const postgresDialect: SqlDialectAdapter = {
  name: 'postgres',
  // PostgreSQL's wire protocol limit.
  maxBindParameters: 65_535,

  connect({ url, maxConnections, connectTimeoutMs, logger }: SqlConnectOptions) {
    const pool = new pg.Pool({
      connectionString: url,
      max: maxConnections,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      idle_in_transaction_session_timeout: IDLE_TRANSACTION_TIMEOUT_SECONDS * 1000,
    });
    pool.on('error', (error) => logger?.warn({ err: error }, 'idle PostgreSQL connection failed'));
    // pg-pool drops its error listener while a client is checked out; a connection lost then would
    // emit an unhandled 'error' and kill the process. The query itself still rejects.
    pool.on('connect', (client) => client.on('error', (error) => logger?.warn({ err: error }, 'PostgreSQL connection lost')));
    return new PostgresDialect({ pool });
  },

  statement(text) {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  placeholders(count, from) {
    const parts = new Array<string>(count);
    for (let i = 0; i < count; i++) parts[i] = `$${from + i}`;
    return parts.join(', ');
  },

  bindsWholeList: true,
  inList: (column) => `${column} = any(?::text[])`,
  listParams: (ids) => [ids],

  insertIgnore: (table, columns, rows, returning) =>
    `insert into ${table} (${columns}) values ${rows} on conflict do nothing${returning ? ` returning ${returning}` : ''}`,
  returnsInsertedRows: true,

  jsonPair: (first, second) => `'[' || ${first} || ',' || coalesce(${second}, 'null') || ']'`,

  // `collate "C"` ids (see ddlFlavor) let LIKE 'prefix%' use the primary key.
  prefixCondition: (column) => `${column} like ? escape '!'`,
  prefixPattern: (prefix) => prefix.replace(/[!%_]/g, '!$&') + '%',

  forUpdate: ' for update',
  isolation: 'read committed',
  analyzeStatement: (table) => `analyze ${table}`,
  supportsClusteredScheduler: true,

  // A row whose stored body hash equals the new one is left alone (no new row version, no WAL), so
  // rows may be sent without comparing hashes first. A merge of edges alone keeps the stored hash:
  // it describes the authoritative writer's content, which such a merge does not touch.
  cacheUpsert: (table) =>
    `insert into ${table} as t (${UPSERT_COLUMNS})
     select ?, ?, u.id, u.application, u.attributes, u.relationships, u.expires_at, u.body_hash
     from json_to_recordset(?::json) as u(id text, application text, attributes text, relationships text, expires_at bigint, body_hash text)
     on conflict (ns, type, id) do update set
       application = case when excluded.attributes is null then t.application else excluded.application end,
       expires_at = case when excluded.attributes is null then t.expires_at else excluded.expires_at end,
       relationships = case when excluded.relationships is null then t.relationships
                            when t.relationships is null then excluded.relationships
                            else (t.relationships::jsonb || excluded.relationships::jsonb)::text end,
       attributes = coalesce(excluded.attributes, t.attributes),
       body_hash = case when excluded.attributes is null then t.body_hash else excluded.body_hash end
     where t.body_hash is distinct from excluded.body_hash
     returning t.id`,
  upsertReturnsIds: true,
  cacheUpsertParams: (namespace: string, type: string, rows: readonly CacheUpsertRow[]) => [
    namespace,
    type,
    JSON.stringify(
      rows.map((i) => ({
        id: i.id,
        application: i.application,
        attributes: i.attributes,
        relationships: i.relationships,
        expires_at: i.expiresAt,
        body_hash: i.bodyHash,
      })),
    ),
  ],
  upsertBindsAllRows: true,
  // Three parameters however many rows.
  upsertRowsPerStatement: (requested) => requested,
  maxStatementBytes: undefined,
  // `limit 1` keeps the lateral subquery from being flattened into a join: the planner would then
  // happily hash-join 10,000 probes against a full scan of the table; this way each probe is one
  // primary-key lookup.
  changedIds: (table) =>
    `select u.id from json_to_recordset(?::json) as u(id text, h text)
     left join lateral (select t.body_hash from ${table} t where t.ns = ? and t.type = ? and t.id = u.id limit 1) s on true
     where s.body_hash is distinct from u.h`,

  // `collate "C"`: ids compare byte for byte, and LIKE 'prefix%' can use the primary key.
  ddlFlavor: async () => ({
    key: (length) => `varchar(${length}) collate "C"`,
    text: 'text',
    bigint: 'bigint',
    serialPrimaryKey: 'bigint generated always as identity primary key',
    tableOptions: '',
  }),
  // The migrator holds pg_advisory_lock: a concurrent run waits, then finds nothing left to do.
  migrationRetries: 0,
};
