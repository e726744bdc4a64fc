import type { SqlDatabase } from '../database/sql-database.js';

/** Columns of one upserted cache row, in bind order. */
export const UPSERT_COLUMNS = 8;

const VISIBLE = `attributes <> '' and (expires_at is null or expires_at > ?)`;

/**
 * The cache store's SQL, built once per database and reused for every call. Statements whose shape
 * depends on a list length (MySQL/SQLite `in (…)` lists, multi-row `values`) are cached per length,
 * so full batches always reuse one text; PostgreSQL binds whole lists (`= any(?)`, `json_to_recordset`)
 * and needs one text per statement.
 */
export class CacheStatements {
  readonly #db: SqlDatabase;
  readonly #byLength = new Map<string, string>();
  readonly items: string;

  readonly selectAll: string;
  readonly selectAllNoRelationships: string;
  readonly selectIds: string;
  readonly selectByApplication: string;
  readonly selectByApplicationNoRelationships: string;
  readonly selectIdsLike: string;
  readonly selectSourceIds: string;
  readonly deleteSourceIds: string;
  readonly insertType: string;
  readonly selectTypes: string;
  /** PostgreSQL only: the ids of a JSON `[{id, h}]` list whose stored hash differs or that are not stored. */
  readonly selectChangedIds: string;

  constructor(db: SqlDatabase) {
    this.#db = db;
    const t = db.tables;
    this.items = t.cacheItems;
    const s = (text: string) => db.statement(text);
    this.selectAll = s(`select id, ${this.#body()} as body, expires_at from ${t.cacheItems} where ns = ? and type = ? and ${VISIBLE}`);
    this.selectAllNoRelationships = s(`select id, attributes, expires_at from ${t.cacheItems} where ns = ? and type = ? and ${VISIBLE}`);
    this.selectIds = s(`select id from ${t.cacheItems} where ns = ? and type = ? and ${VISIBLE}`);
    this.selectByApplication = s(
      `select id, ${this.#body()} as body, expires_at from ${t.cacheItems} where ns = ? and type = ? and application = ? and ${VISIBLE}`,
    );
    this.selectByApplicationNoRelationships = s(
      `select id, attributes, expires_at from ${t.cacheItems} where ns = ? and type = ? and application = ? and ${VISIBLE}`,
    );
    // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive and also uses the primary key.
    this.selectIdsLike =
      db.dialect === 'sqlite'
        ? s(`select id from ${t.cacheItems} where ns = ? and type = ? and id glob ? and ${VISIBLE}`)
        : s(`select id from ${t.cacheItems} where ns = ? and type = ? and id like ? escape '!' and ${VISIBLE}`);
    this.selectSourceIds = s(`select ids from ${t.cacheSources} where ns = ? and type = ? and agent = ? order by chunk`);
    this.deleteSourceIds = s(`delete from ${t.cacheSources} where ns = ? and type = ? and agent = ?`);
    const insertIgnore = { postgres: 'insert into', mysql: 'insert ignore into', sqlite: 'insert or ignore into' }[db.dialect];
    const onConflictNothing = db.dialect === 'postgres' ? ' on conflict do nothing' : '';
    this.insertType = s(`${insertIgnore} ${t.cacheTypes} (ns, type) values (?, ?)${onConflictNothing}`);
    this.selectTypes = s(`select type from ${t.cacheTypes} where ns = ? order by type`);
    // `limit 1` keeps the lateral subquery from being flattened into a join: the planner would then
    // happily hash-join 10,000 probes against a full scan of the table; this way each probe is one
    // primary-key lookup.
    this.selectChangedIds = s(
      `select u.id from json_to_recordset(?::json) as u(id text, h text)
       left join lateral (select t.body_hash from ${t.cacheItems} t where t.ns = ? and t.type = ? and t.id = u.id limit 1) s on true
       where s.body_hash is distinct from u.h`,
    );
  }

  /**
   * Attributes and relationships as one JSON array text (`[attributes, relationships|null]`): one
   * column for the driver to decode and one `JSON.parse` per row instead of two — about a fifth off
   * reading 50,000 instances. Only for visible rows, whose attributes are a JSON object.
   */
  #body(): string {
    return this.#db.dialect === 'mysql'
      ? `concat('[', attributes, ',', coalesce(relationships, 'null'), ']')`
      : `'[' || attributes || ',' || coalesce(relationships, 'null') || ']'`;
  }

  #cached(key: string, build: () => string): string {
    let text = this.#byLength.get(key);
    if (text === undefined) {
      text = this.#db.statement(build());
      if (this.#byLength.size < 256) this.#byLength.set(key, text);
    }
    return text;
  }

  /** `… and id in (…)` (or `= any(?)` on PostgreSQL) for `count` ids. */
  #idList(count: number): string {
    return this.#db.dialect === 'postgres' ? 'id = any(?::text[])' : `id in (${new Array(count).fill('?').join(', ')})`;
  }

  #listKey(name: string, count: number): string {
    return this.#db.dialect === 'postgres' ? name : `${name}:${count}`;
  }

  /** Binds an id list: one array parameter on PostgreSQL, one parameter per id elsewhere. */
  idParams(ids: readonly string[]): unknown[] {
    return this.#db.dialect === 'postgres' ? [ids] : (ids as string[]);
  }

  selectByIds(count: number, withRelationships: boolean): string {
    const columns = withRelationships ? `id, ${this.#body()} as body, expires_at` : 'id, attributes, expires_at';
    return this.#cached(this.#listKey(`byIds:${withRelationships}`, count), () =>
      `select ${columns} from ${this.items} where ns = ? and type = ? and ${this.#idList(count)} and ${VISIBLE}`,
    );
  }

  selectExisting(count: number): string {
    return this.#cached(this.#listKey('existing', count), () =>
      `select id from ${this.items} where ns = ? and type = ? and ${this.#idList(count)} and ${VISIBLE}`,
    );
  }

  selectHashes(count: number): string {
    return this.#cached(this.#listKey('hashes', count), () =>
      `select id, body_hash from ${this.items} where ns = ? and type = ? and ${this.#idList(count)}`,
    );
  }

  deleteByIds(count: number): string {
    return this.#cached(this.#listKey('delete', count), () => `delete from ${this.items} where ns = ? and type = ? and ${this.#idList(count)}`);
  }

  /** `insert into cache_sources` for `count` chunk rows. */
  insertSourceChunks(count: number): string {
    const row = '(?, ?, ?, ?, ?)';
    return this.#cached(`sources:${count}`, () =>
      `insert into ${this.#db.tables.cacheSources} (ns, type, agent, chunk, ids) values ${new Array(count).fill(row).join(', ')}`,
    );
  }

  /**
   * The upsert. Attributes replace the stored map unless the merge had none (`null`); relationship
   * names merge into the stored JSON object (`||`, `JSON_MERGE_PATCH`, `json_patch` — top-level keys
   * replaced, others kept), so two agents writing edges to one item never lose each other's lists.
   * PostgreSQL takes the rows as one JSON document (`json_to_recordset`: three parameters however
   * many rows; node-postgres serialises a JS string array ~40x slower than `JSON.stringify`);
   * MySQL/SQLite use multi-row `values`, chunked by the caller under the bind-parameter limit.
   * On PostgreSQL a row whose stored body hash equals the new one is left alone (no new row version,
   * no WAL), so rows may be sent without comparing hashes first.
   */
  upsert(count: number): string {
    const t = this.items;
    const columns = 'ns, type, id, application, attributes, relationships, expires_at, body_hash';
    if (this.#db.dialect === 'postgres') {
      return this.#cached('upsert', () =>
        `insert into ${t} as t (${columns})
         select ?, ?, u.id, u.application, u.attributes, u.relationships, u.expires_at, u.body_hash
         from json_to_recordset(?::json) as u(id text, application text, attributes text, relationships text, expires_at bigint, body_hash text)
         on conflict (ns, type, id) do update set
           application = case when excluded.attributes is null then t.application else excluded.application end,
           expires_at = case when excluded.attributes is null then t.expires_at else excluded.expires_at end,
           relationships = case when excluded.relationships is null then t.relationships
                                when t.relationships is null then excluded.relationships
                                else (t.relationships::jsonb || excluded.relationships::jsonb)::text end,
           attributes = coalesce(excluded.attributes, t.attributes),
           body_hash = excluded.body_hash
         where t.body_hash is distinct from excluded.body_hash`,
      );
    }
    const values = new Array(count).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    if (this.#db.dialect === 'mysql') {
      // Every condition reads values(attributes), never the column being assigned, so MySQL's
      // left-to-right assignment order cannot change the outcome.
      return this.#cached(`upsert:${count}`, () =>
        `insert into ${t} (${columns}) values ${values}
         on duplicate key update
           application = if(values(attributes) is null, application, values(application)),
           expires_at = if(values(attributes) is null, expires_at, values(expires_at)),
           relationships = if(values(relationships) is null, relationships,
                              if(relationships is null, values(relationships), json_merge_patch(relationships, values(relationships)))),
           attributes = coalesce(values(attributes), attributes),
           body_hash = values(body_hash)`,
      );
    }
    return this.#cached(`upsert:${count}`, () =>
      `insert into ${t} (${columns}) values ${values}
       on conflict (ns, type, id) do update set
         application = case when excluded.attributes is null then application else excluded.application end,
         expires_at = case when excluded.attributes is null then expires_at else excluded.expires_at end,
         relationships = case when excluded.relationships is null then relationships
                              when relationships is null then excluded.relationships
                              else json_patch(relationships, excluded.relationships) end,
         attributes = coalesce(excluded.attributes, attributes),
         body_hash = excluded.body_hash`,
    );
  }
}
