import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { CACHE_UPSERT_PARAMETERS_PER_ROW, cacheUpsertRowParameters } from './cache-upsert-row-parameters.js';
import { questionMarks } from './question-mark-parameters.js';
import type { SqlConnectOptions, SqlDialectAdapter } from './sql-dialect-adapter.js';

const UPSERT_COLUMNS = 'ns, type, id, application, attributes, relationships, expires_at, body_hash';
const MAX_BIND_PARAMETERS = 32_766;

/**
 * SQLite (one file, one connection, writers serialised by the database). Lists bind one parameter
 * per id, like MySQL; there are no row locks and no clustered scheduler.
 */
export const sqliteDialect: SqlDialectAdapter = {
  name: 'sqlite',
  maxBindParameters: MAX_BIND_PARAMETERS,

  connect({ url }: SqlConnectOptions) {
    const db = new Database(sqlitePath(url));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    return new SqliteDialect({ database: db });
  },

  statement: (text) => text,
  placeholders: (count) => questionMarks(count),

  bindsWholeList: false,
  inList: (column, count) => `${column} in (${questionMarks(count)})`,
  listParams: (ids) => [...ids],

  insertIgnore: (table, columns, rows, returning) => `insert or ignore into ${table} (${columns}) values ${rows}${returning ? ` returning ${returning}` : ''}`,
  returnsInsertedRows: true,

  jsonPair: (first, second) => `'[' || ${first} || ',' || coalesce(${second}, 'null') || ']'`,

  // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive and also uses the primary key.
  prefixCondition: (column) => `${column} glob ?`,
  prefixPattern: (prefix) => prefix.replace(/[*?[]/g, '[$&]') + '*',

  // SQLite serialises writers: a transaction that writes holds the database, not rows.
  forUpdate: '',
  isolation: undefined,
  analyzeStatement: () => undefined,
  supportsClusteredScheduler: false,

  cacheUpsert: (table, count) =>
    `insert into ${table} (${UPSERT_COLUMNS}) values ${new Array(count).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
     on conflict (ns, type, id) do update set
       application = case when excluded.attributes is null then application else excluded.application end,
       expires_at = case when excluded.attributes is null then expires_at else excluded.expires_at end,
       relationships = case when excluded.relationships is null then relationships
                            when relationships is null then excluded.relationships
                            else json_patch(relationships, excluded.relationships) end,
       attributes = coalesce(excluded.attributes, attributes),
       body_hash = case when excluded.attributes is null then body_hash else excluded.body_hash end`,
  cacheUpsertParams: cacheUpsertRowParameters,
  upsertBindsAllRows: false,
  upsertRowsPerStatement: (requested) => Math.min(requested, Math.floor(MAX_BIND_PARAMETERS / CACHE_UPSERT_PARAMETERS_PER_ROW)),
  maxStatementBytes: undefined,

  // Text compares with the BINARY collation by default: ids are compared byte for byte.
  ddlFlavor: async () => ({
    key: () => 'text',
    text: 'text',
    bigint: 'integer',
    serialPrimaryKey: 'integer primary key autoincrement',
    tableOptions: '',
  }),
  // There is no lock kysely can take across handles; each run is one transaction, so a run that
  // lost the race to another process rolled back and simply tries again on the committed schema.
  migrationRetries: 3,
};

/** The file path of a `sqlite:` URL (`sqlite:data/stratus.db`, `sqlite:///abs/path.db`, `sqlite::memory:`). */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^sqlite:/i, '');
  return rest.startsWith('//') ? rest.slice(2) : rest;
}
