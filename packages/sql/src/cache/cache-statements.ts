import type { SqlDatabase } from '../database/sql-database.js';
import type { SqlDialectAdapter } from '../dialects/sql-dialect-adapter.js';
import type { EncodedItem } from './cache-row-codec.js';

const VISIBLE = `attributes <> '' and (expires_at is null or expires_at > ?)`;

/**
 * The cache store's SQL, built once per database and reused for every call; the parts that differ
 * per dialect come from its adapter (src/dialects/). Statements whose shape depends on a list length
 * (MySQL/SQLite `in (…)` lists, multi-row `values`) are cached per length, so full batches always
 * reuse one text; PostgreSQL binds whole lists (`= any(?)`, `json_to_recordset`) and needs one text
 * per statement.
 */
export class CacheStatements {
  readonly #db: SqlDatabase;
  readonly #dialect: SqlDialectAdapter;
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
  /** Where the dialect compares hashes on the server (PostgreSQL): the ids of a JSON `[{id, h}]` list whose stored hash differs or that are not stored. */
  readonly selectChangedIds: string | undefined;

  constructor(db: SqlDatabase) {
    this.#db = db;
    this.#dialect = db.adapter;
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
    this.selectIdsLike = s(`select id from ${t.cacheItems} where ns = ? and type = ? and ${this.#dialect.prefixCondition('id')} and ${VISIBLE}`);
    this.selectSourceIds = s(`select ids from ${t.cacheSources} where ns = ? and type = ? and agent = ? order by chunk`);
    this.deleteSourceIds = s(`delete from ${t.cacheSources} where ns = ? and type = ? and agent = ?`);
    this.insertType = s(this.#dialect.insertIgnore(t.cacheTypes, 'ns, type', '(?, ?)'));
    this.selectTypes = s(`select type from ${t.cacheTypes} where ns = ? order by type`);
    this.selectChangedIds = this.#dialect.changedIds ? s(this.#dialect.changedIds(t.cacheItems)) : undefined;
  }

  /**
   * Attributes and relationships as one JSON array text (`[attributes, relationships|null]`): one
   * column for the driver to decode and one `JSON.parse` per row instead of two — about a fifth off
   * reading 50,000 instances. Only for visible rows, whose attributes are a JSON object.
   */
  #body(): string {
    return this.#dialect.jsonPair('attributes', 'relationships');
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
    return this.#dialect.inList('id', count);
  }

  #listKey(name: string, count: number): string {
    return this.#dialect.bindsWholeList ? name : `${name}:${count}`;
  }

  /** Binds an id list: one array parameter on PostgreSQL, one parameter per id elsewhere. */
  idParams(ids: readonly string[]): unknown[] {
    return this.#dialect.listParams(ids);
  }

  selectByIds(count: number, withRelationships: boolean): string {
    const columns = withRelationships ? `id, ${this.#body()} as body, expires_at` : 'id, attributes, expires_at';
    return this.#cached(
      this.#listKey(`byIds:${withRelationships}`, count),
      () => `select ${columns} from ${this.items} where ns = ? and type = ? and ${this.#idList(count)} and ${VISIBLE}`,
    );
  }

  selectExisting(count: number): string {
    return this.#cached(
      this.#listKey('existing', count),
      () => `select id from ${this.items} where ns = ? and type = ? and ${this.#idList(count)} and ${VISIBLE}`,
    );
  }

  selectHashes(count: number): string {
    return this.#cached(this.#listKey('hashes', count), () => `select id, body_hash from ${this.items} where ns = ? and type = ? and ${this.#idList(count)}`);
  }

  selectRelationships(count: number): string {
    return this.#cached(
      this.#listKey('relationships', count),
      () => `select id, relationships from ${this.items} where ns = ? and type = ? and ${this.#idList(count)}`,
    );
  }

  deleteByIds(count: number): string {
    return this.#cached(this.#listKey('delete', count), () => `delete from ${this.items} where ns = ? and type = ? and ${this.#idList(count)}`);
  }

  /** `insert into cache_sources` for `count` chunk rows. */
  insertSourceChunks(count: number): string {
    const row = '(?, ?, ?, ?, ?)';
    return this.#cached(
      `sources:${count}`,
      () => `insert into ${this.#db.tables.cacheSources} (ns, type, agent, chunk, ids) values ${new Array(count).fill(row).join(', ')}`,
    );
  }

  /**
   * The upsert of `count` rows (the dialect's, see {@link SqlDialectAdapter.cacheUpsert}): on
   * PostgreSQL one text binding all rows as one JSON document; elsewhere multi-row `values`, chunked
   * by the caller under the bind-parameter limit.
   */
  upsert(count: number): string {
    const key = this.#dialect.upsertBindsAllRows ? 'upsert' : `upsert:${count}`;
    return this.#cached(key, () => this.#dialect.cacheUpsert(this.items, count));
  }

  /** The upsert's parameters for these rows. */
  upsertParams(namespace: string, type: string, rows: readonly EncodedItem[]): unknown[] {
    return this.#dialect.cacheUpsertParams(namespace, type, rows);
  }
}
