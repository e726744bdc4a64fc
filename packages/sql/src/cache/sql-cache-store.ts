import type { CacheData, CacheFilter, Logger } from '@stratus/plugin-api';
import { type CacheStore, type MergeOutcome, assertValidType, globToRegExp, isLiteralGlob } from '@stratus/core';
import type { SqlDatabase } from '../database/sql-database.js';
import type { CacheItemsTable } from '../database/stratus-tables.js';
import { SQL_LIMITS } from '../migrations/limits.js';
import { decodeRow, encodeItem, foldDuplicates, type ApplicationOf, type EncodedItem, type ItemRow } from './cache-row-codec.js';
import type { CacheStatements } from './cache-statements.js';

export interface SqlCacheStoreOptions {
  /** Ids per read statement (default 500). */
  readonly readBatchSize: number;
  /** Read statements of one read in flight at once (default 4). */
  readonly readConcurrency?: number;
  /** Rows per upsert statement (default 1000; capped under the dialect's bind-parameter limit). */
  readonly writeBatchSize: number;
  readonly applicationOf: ApplicationOf;
  readonly logger?: Logger;
  readonly now: () => number;
  /** Told how many rows each merge wrote, to refresh planner statistics after large ones. */
  readonly statistics?: { noteWritten(rows: number): void };
}

/** Whether the stored relationships JSON holds every list of `merged` (JSON) as it is. */
function storesEdges(stored: string | null | undefined, merged: string): boolean {
  if (!stored) return false;
  const have = JSON.parse(stored) as Record<string, unknown>;
  const want = JSON.parse(merged) as Record<string, unknown>;
  for (const name in want) if (JSON.stringify(have[name]) !== JSON.stringify(want[name])) return false;
  return true;
}

/** Ids per server-side hash comparison on PostgreSQL (two array parameters, any length). */
const HASH_COMPARE_CHUNK = 10_000;
/** Source-id lists are stored as JSON arrays of at most this many ids per row. */
const SOURCE_CHUNK = 5_000;

/**
 * A {@link CacheStore} over one SQL table for every namespace and type (see docs/sql.md). Writes
 * read the stored body hashes of a chunk first and upsert only rows that changed; reads select
 * visible rows (attributes present, not expired) in batches of `readBatchSize` ids.
 */
export class SqlCacheStore implements CacheStore {
  readonly #knownTypes = new Set<string>();
  /** Where the upsert skips unchanged rows (PostgreSQL): per type, the share of rows the last merge actually wrote (picks compare-first or upsert-only). */
  readonly #writtenShare = new Map<string, number>();

  constructor(
    readonly namespace: string,
    private readonly db: SqlDatabase,
    private readonly statements: CacheStatements,
    private readonly options: SqlCacheStoreOptions,
  ) {
    if (namespace.length === 0 || namespace.length > SQL_LIMITS.namespaceLength) {
      throw new Error(`cache namespace '${namespace}' must be 1-${SQL_LIMITS.namespaceLength} characters`);
    }
  }

  #checkType(type: string): void {
    assertValidType(type);
    if (type.length > SQL_LIMITS.typeLength) throw new Error(`cache type '${type}' is longer than ${SQL_LIMITS.typeLength} characters`);
  }

  async mergeAll(type: string, items: readonly CacheData[]): Promise<MergeOutcome> {
    this.#checkType(type);
    const unchanged = new Set<string>();
    if (items.length === 0) return { unchanged };
    await this.db.guard('cache write', async () => {
      await this.#rememberType(type);
      const now = this.options.now();
      const encoded: EncodedItem[] = [];
      for (const item of foldDuplicates(items)) {
        if (item.id.length > SQL_LIMITS.idLength) {
          this.options.logger?.error(
            { namespace: this.namespace, type, idLength: item.id.length, idPrefix: item.id.slice(0, 120) },
            `cache id longer than ${SQL_LIMITS.idLength} characters; item not stored`,
          );
          continue;
        }
        encoded.push(encodeItem(type, item, now, this.options.applicationOf));
      }
      // PostgreSQL's upsert skips rows whose body hash did not change by itself, so comparing hashes
      // first only pays when most rows are unchanged (a warm cycle: only the ids and hashes travel).
      // When the last merge of this type wrote most of its rows (a cold start, a new account), the
      // rows go straight to the upsert and the comparison's index probes are saved.
      const compareFirst = !this.statements.selectChangedIds || (this.#writtenShare.get(type) ?? 1) < 0.5;
      const changed = await this.#changedOnly(type, encoded, compareFirst);
      // A stable order makes concurrent writers lock rows in the same order (no deadlocks); only the
      // rows actually written need it.
      changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const written = new Set<string>();
      let count = 0;
      for (const chunk of chunks(changed, this.#writeChunkSize())) {
        for (const part of this.#byStatementSize(chunk)) count += await this.#upsert(type, part, written);
      }
      // What stayed as it was: rows the comparison dropped, and rows the upsert left alone where it says which it wrote.
      const writing = this.db.adapter.upsertReturnsIds ? written : new Set(changed.map((item) => item.id));
      for (const item of encoded) if (!writing.has(item.id)) unchanged.add(item.id);
      // Only PostgreSQL chooses; MySQL's affected-row counts (2 per updated row) would mislead anyway.
      if (this.statements.selectChangedIds && encoded.length > 0) this.#writtenShare.set(type, (compareFirst ? changed.length : count) / encoded.length);
      this.options.statistics?.noteWritten(count);
    });
    return { unchanged };
  }

  #writeChunkSize(): number {
    return this.db.adapter.upsertRowsPerStatement(Math.max(1, this.options.writeBatchSize));
  }

  /**
   * The rows the merge must write. Rows with attributes whose stored body hash equals the new one
   * change nothing (compared only when `byHash`: PostgreSQL's upsert can skip them itself). Edges
   * alone (an informative agent's merge) keep the row's hash, which describes its authoritative
   * writer's content, so they are always compared list by list, never by hash.
   */
  async #changedOnly(type: string, all: readonly EncodedItem[], byHash: boolean): Promise<EncodedItem[]> {
    const edges = all.filter((item) => item.attributes === null);
    const items = edges.length === 0 ? all : all.filter((item) => item.attributes !== null);
    const changed = byHash && items.length > 0 ? await this.#changedByHash(type, items) : [...items];
    return edges.length === 0 ? changed : [...changed, ...(await this.#changedEdges(type, edges))];
  }

  /** Edges-only merges that would change a stored list (an item not stored counts as changed; one carrying no lists never does). */
  async #changedEdges(type: string, items: readonly EncodedItem[]): Promise<EncodedItem[]> {
    const stored = new Map<string, string | null>();
    for (const ids of chunks(
      items.filter((item) => item.relationships !== null).map((item) => item.id),
      this.options.readBatchSize,
    )) {
      const rows = await this.db.rows<Pick<CacheItemsTable, 'id' | 'relationships'>>(this.statements.selectRelationships(ids.length), [
        this.namespace,
        type,
        ...this.statements.idParams(ids),
      ]);
      for (const row of rows) stored.set(row.id, row.relationships);
    }
    return items.filter((item) => item.relationships !== null && !storesEdges(stored.get(item.id), item.relationships));
  }

  /**
   * Drops rows whose stored body hash equals the new one: the merge would change nothing. PostgreSQL
   * compares on the server (ids and hashes go in as one JSON list, only the ids to write come back);
   * elsewhere the stored hashes of a batch are read and compared here.
   */
  async #changedByHash(type: string, items: readonly EncodedItem[]): Promise<EncodedItem[]> {
    const { selectChangedIds } = this.statements;
    if (selectChangedIds) {
      const write = new Set<string>();
      for (const chunk of chunks(items, HASH_COMPARE_CHUNK)) {
        const rows = await this.db.rows<{ id: string }>(selectChangedIds, [
          JSON.stringify(chunk.map((item) => ({ id: item.id, h: item.bodyHash }))),
          this.namespace,
          type,
        ]);
        for (const row of rows) write.add(row.id);
      }
      return write.size === items.length ? [...items] : items.filter((item) => write.has(item.id));
    }
    const stored = new Map<string, string | null>();
    for (const ids of chunks(
      items.map((item) => item.id),
      Math.max(this.options.readBatchSize, Math.min(this.options.writeBatchSize, 1_000)),
    )) {
      const rows = await this.db.rows<Pick<CacheItemsTable, 'id' | 'body_hash'>>(this.statements.selectHashes(ids.length), [
        this.namespace,
        type,
        ...this.statements.idParams(ids),
      ]);
      for (const row of rows) stored.set(row.id, row.body_hash);
    }
    if (stored.size === 0) return [...items];
    return items.filter((item) => stored.get(item.id) !== item.bodyHash);
  }

  /** MySQL statements are sent as text; keep each under the packet limit. */
  *#byStatementSize(items: EncodedItem[]): Iterable<EncodedItem[]> {
    const maxBytes = this.db.adapter.maxStatementBytes;
    if (maxBytes === undefined) {
      if (items.length > 0) yield items;
      return;
    }
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const size = 200 + item.id.length + (item.attributes?.length ?? 0) + (item.relationships?.length ?? 0);
      if (bytes + size > maxBytes && i > start) {
        yield items.slice(start, i);
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (start < items.length) yield items.slice(start);
  }

  /**
   * Upserts the rows; returns how many were inserted or changed (rows with an unchanged hash are
   * skipped on PostgreSQL, which names the rows it wrote: they go into `written`).
   */
  async #upsert(type: string, items: readonly EncodedItem[], written: Set<string>): Promise<number> {
    if (items.length === 0) return 0;
    const text = this.statements.upsert(items.length);
    const params = this.statements.upsertParams(this.namespace, type, items);
    if (!this.db.adapter.upsertReturnsIds) return this.db.affected(text, params);
    const rows = await this.db.rows<{ id: string }>(text, params);
    for (const row of rows) written.add(row.id);
    return rows.length;
  }

  async #rememberType(type: string): Promise<void> {
    if (this.#knownTypes.has(type)) return;
    await this.db.affected(this.statements.insertType, [this.namespace, type]);
    this.#knownTypes.add(type);
  }

  async evictAll(type: string, ids: readonly string[]): Promise<void> {
    this.#checkType(type);
    const valid = ids.filter((id) => id.length <= SQL_LIMITS.idLength);
    if (valid.length === 0) return;
    await this.db.guard('cache evict', async () => {
      const sorted = [...new Set(valid)].sort();
      for (const chunk of chunks(sorted, this.options.writeBatchSize)) {
        await this.db.affected(this.statements.deleteByIds(chunk.length), [this.namespace, type, ...this.statements.idParams(chunk)]);
      }
    });
  }

  async getAll(type: string, ids: readonly string[] | undefined, filter?: CacheFilter): Promise<CacheData[]> {
    this.#checkType(type);
    // `relationshipPrefixes: []` asks for no relationships: don't even read the column.
    const withRelationships = filter?.relationshipPrefixes?.length !== 0;
    return this.db.guard('cache read', async () => {
      const now = this.options.now();
      if (ids === undefined) {
        const text = withRelationships ? this.statements.selectAll : this.statements.selectAllNoRelationships;
        const rows = await this.db.rows<ItemRow>(text, [this.namespace, type, now]);
        return rows.map((row) => decodeRow(row, now, filter));
      }
      const found = await this.#rowsByIds(type, ids, now, withRelationships);
      const result: CacheData[] = [];
      for (const id of ids) {
        const row = found.get(id);
        if (row) result.push(decodeRow(row, now, filter));
      }
      return result;
    });
  }

  /**
   * Visible items of a type that belong to an application (stored lower-cased): one query on the
   * `(ns, application, type)` index, which `/applications/{app}/serverGroups` reads per type.
   */
  async getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    this.#checkType(type);
    const withRelationships = filter?.relationshipPrefixes?.length !== 0;
    return this.db.guard('cache read', async () => {
      const now = this.options.now();
      const text = withRelationships ? this.statements.selectByApplication : this.statements.selectByApplicationNoRelationships;
      const rows = await this.db.rows<ItemRow>(text, [this.namespace, type, application, now]);
      return rows.map((row) => decodeRow(row, now, filter));
    });
  }

  async #rowsByIds(type: string, ids: readonly string[], now: number, withRelationships: boolean): Promise<Map<string, ItemRow>> {
    const unique = [...new Set(ids.filter((id) => id.length <= SQL_LIMITS.idLength))];
    const found = new Map<string, ItemRow>();
    // Several batches in flight (each on a pooled connection): the database looks up one while this
    // process decodes another. Rows land in a map, so their arrival order does not matter.
    const batches = chunks(unique, this.options.readBatchSize);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const chunk = batches[next++]!;
        const rows = await this.db.rows<ItemRow>(this.statements.selectByIds(chunk.length, withRelationships), [
          this.namespace,
          type,
          ...this.statements.idParams(chunk),
          now,
        ]);
        for (const row of rows) found.set(row.id, row);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.readConcurrency ?? 4, batches.length) }, worker));
    return found;
  }

  async existingIds(type: string, ids: readonly string[]): Promise<string[]> {
    this.#checkType(type);
    if (ids.length === 0) return [];
    return this.db.guard('cache read', async () => {
      const now = this.options.now();
      const unique = [...new Set(ids.filter((id) => id.length <= SQL_LIMITS.idLength))];
      const existing = new Set<string>();
      for (const chunk of chunks(unique, this.options.readBatchSize)) {
        const rows = await this.db.rows<{ id: string }>(this.statements.selectExisting(chunk.length), [
          this.namespace,
          type,
          ...this.statements.idParams(chunk),
          now,
        ]);
        for (const row of rows) existing.add(row.id);
      }
      return ids.filter((id) => existing.has(id));
    });
  }

  async ids(type: string): Promise<string[]> {
    this.#checkType(type);
    return this.db.guard('cache read', async () => {
      const rows = await this.db.rows<{ id: string }>(this.statements.selectIds, [this.namespace, type, this.options.now()]);
      return rows.map((row) => row.id);
    });
  }

  /** Narrows by the glob's literal prefix in SQL (an index range), then matches the glob exactly. */
  async filterIds(type: string, glob: string): Promise<string[]> {
    this.#checkType(type);
    if (isLiteralGlob(glob)) return this.existingIds(type, [glob]);
    const prefix = glob.slice(0, glob.search(/[*?[]/));
    const pattern = globToRegExp(glob);
    return this.db.guard('cache read', async () => {
      const rows = await this.db.rows<{ id: string }>(this.statements.selectIdsLike, [
        this.namespace,
        type,
        this.db.adapter.prefixPattern(prefix),
        this.options.now(),
      ]);
      return rows.map((row) => row.id).filter((id) => pattern.test(id));
    });
  }

  async getSourceIds(type: string, source: string): Promise<string[]> {
    this.#checkType(type);
    return this.db.guard('cache read', async () => {
      const rows = await this.db.rows<{ ids: string }>(this.statements.selectSourceIds, [this.namespace, type, source]);
      return rows.flatMap((row) => JSON.parse(row.ids) as string[]);
    });
  }

  async setSourceIds(type: string, source: string, ids: readonly string[]): Promise<void> {
    this.#checkType(type);
    if (source.length > SQL_LIMITS.agentLength) throw new Error(`source agent '${source}' is longer than ${SQL_LIMITS.agentLength} characters`);
    await this.db.guard('cache write', async () => {
      await this.#rememberType(type);
      const rows = chunks(ids, SOURCE_CHUNK).map((chunk, index) => [this.namespace, type, source, index, JSON.stringify(chunk)]);
      await this.db.transaction(async (trx) => {
        await this.db.affected(this.statements.deleteSourceIds, [this.namespace, type, source], trx);
        // A few chunk rows per statement keeps MySQL statements small.
        for (const group of chunks(rows, 8)) {
          await this.db.affected(this.statements.insertSourceChunks(group.length), group.flat(), trx);
        }
      });
    });
  }

  async types(): Promise<string[]> {
    return this.db.guard('cache read', async () => {
      const rows = await this.db.rows<{ type: string }>(this.statements.selectTypes, [this.namespace]);
      return rows.map((row) => row.type);
    });
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size) as T[]);
  return result;
}
