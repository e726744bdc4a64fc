import { CompiledQuery, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { IDLE_TRANSACTION_TIMEOUT_SECONDS } from './idle-transaction-timeout.js';
import { questionMarks } from './question-mark-parameters.js';
import { CACHE_UPSERT_PARAMETERS_PER_ROW as PARAMETERS_PER_ROW, cacheUpsertRowParameters } from './cache-upsert-row-parameters.js';
import type { SqlConnectOptions, SqlDialectAdapter } from './sql-dialect-adapter.js';

const UPSERT_COLUMNS = 'ns, type, id, application, attributes, relationships, expires_at, body_hash';
const MAX_BIND_PARAMETERS = 65_535;

/**
 * MySQL and MariaDB. Lists bind one parameter per id, so list statements are cached per length;
 * statements travel as text, so the cache upsert is split under the packet limit.
 */
export const mysqlDialect: SqlDialectAdapter = {
  name: 'mysql',
  maxBindParameters: MAX_BIND_PARAMETERS,

  // Sessions run READ COMMITTED: InnoDB's REPEATABLE READ gap locks are the usual source of
  // deadlocks between concurrent upserts.
  connect({ url, maxConnections, connectTimeoutMs, logger }: SqlConnectOptions) {
    const pool = createPool({
      uri: url.replace(/^mariadb:/i, 'mysql:'),
      connectionLimit: maxConnections,
      connectTimeout: connectTimeoutMs,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      timezone: 'Z',
      enableKeepAlive: true,
    });
    pool.on('error' as never, (error: unknown) => logger?.warn({ err: error }, 'MySQL pool error'));
    return new MysqlDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
        // MariaDB only (MySQL has no such variable; there the attempt fails harmlessly).
        await connection.executeQuery(CompiledQuery.raw(`SET SESSION idle_transaction_timeout = ${IDLE_TRANSACTION_TIMEOUT_SECONDS}`)).catch(() => undefined);
      },
    });
  },

  statement: (text) => text,
  placeholders: (count) => questionMarks(count),

  bindsWholeList: false,
  inList: (column, count) => `${column} in (${questionMarks(count)})`,
  listParams: (ids) => [...ids],

  insertIgnore: (table, columns, rows) => `insert ignore into ${table} (${columns}) values ${rows}`,
  returnsInsertedRows: false,

  jsonPair: (first, second) => `concat('[', ${first}, ',', coalesce(${second}, 'null'), ']')`,

  // Ids use a binary collation (see ddlFlavor), so LIKE is case-sensitive and uses the primary key.
  prefixCondition: (column) => `${column} like ? escape '!'`,
  prefixPattern: (prefix) => prefix.replace(/[!%_]/g, '!$&') + '%',

  forUpdate: ' for update',
  isolation: 'read committed',
  analyzeStatement: (table) => `analyze table ${table}`,
  supportsClusteredScheduler: true,

  // Every condition reads values(attributes), never the column being assigned, so MySQL's
  // left-to-right assignment order cannot change the outcome.
  cacheUpsert: (table, count) =>
    `insert into ${table} (${UPSERT_COLUMNS}) values ${new Array(count).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on duplicate key update
       application = if(values(attributes) is null, application, values(application)),
       expires_at = if(values(attributes) is null, expires_at, values(expires_at)),
       relationships = if(values(relationships) is null, relationships,
                          if(relationships is null, values(relationships), json_merge_patch(relationships, values(relationships)))),
       attributes = coalesce(values(attributes), attributes),
       body_hash = if(values(attributes) is null, body_hash, values(body_hash))`,
  cacheUpsertParams: cacheUpsertRowParameters,
  upsertBindsAllRows: false,
  upsertRowsPerStatement: (requested) => Math.min(requested, Math.floor(MAX_BIND_PARAMETERS / PARAMETERS_PER_ROW)),
  // Keeps one statement well under the default 16 MB `max_allowed_packet`.
  maxStatementBytes: 4 * 1024 * 1024,

  // The default collations ignore case and trailing spaces, which would merge distinct cache keys:
  // tables get a binary NO PAD collation where the server has one.
  async ddlFlavor(db) {
    const { rows } = await sql<{ v: string }>`select version() as v`.execute(db);
    const version = String(rows[0]?.v ?? '');
    const collation = /mariadb/i.test(version) ? 'utf8mb4_nopad_bin' : /^[89]\./.test(version) ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
    return {
      key: (length) => `varchar(${length})`,
      text: 'longtext',
      bigint: 'bigint',
      serialPrimaryKey: 'bigint not null auto_increment primary key',
      tableOptions: ` engine=InnoDB default charset=utf8mb4 collate=${collation}`,
    };
  },
  // The migrator holds GET_LOCK: a concurrent run waits, then finds nothing left to do.
  migrationRetries: 0,
};
