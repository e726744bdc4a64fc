import { hash } from 'node:crypto';
import { applicationOfItem, type CacheData, type CacheFilter } from '@stratus/plugin-api';
import {
  globToRegExp,
  hasKeys,
  isLiteralGlob,
  relationshipAllowed,
  withoutNullAttributes as withoutNulls,
  type CacheStore,
  type MergeOutcome,
} from '@stratus/core';
import type { ChainableCommander, Redis } from 'ioredis';
import { LuaScript } from '../connection/lua-script.js';
import { withRedis } from '../connection/redis-client.js';
import { RespBatch } from '../connection/resp-batch.js';
import type { RespPipeline, RespReply } from '../connection/resp-pipeline.js';
import { DEFAULT_REDIS_CACHE_OPTIONS, type RedisCacheOptions } from './redis-cache-options.js';
import { globToRedisMatch } from './glob-to-redis-match.js';
import { addApplicationIds, purgeGoneIds } from './redis-application-index.js';

/** Hash field holding the attribute JSON; relationship fields are `r:<name>`. */
const ATTRIBUTES_FIELD = 'a';
const RELATIONSHIP_FIELD = 'r:';

/**
 * Drops ids whose TTL has passed from the visible-ids set and the expiry index. Atomic, so it
 * cannot race a writer: writers update the expiry index before they add the id to the ids set.
 */
const PURGE_EXPIRED = new LuaScript(
  'purge-expired',
  `local expired = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('SREM', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
end
return #expired`,
);

interface PreparedItem {
  readonly id: string;
  readonly key: string;
  /** Attribute JSON to store; undefined = leave stored attributes untouched. */
  readonly attributesJson: string | undefined;
  /** The merge carried attributes that were all null: the item loses its attributes. */
  readonly clearAttributes: boolean;
  /** Absolute expiry (epoch ms) for TTL items, 0 for permanent ones. */
  readonly expiresAt: number;
  /** `[field, json, field, json, …]` for HSET. */
  readonly relationshipFields: string[];
  /** Content digest; only for permanent items with attributes when hashing is on. */
  readonly digest: string | undefined;
  /** The application index entry this write adds (when the merge carried attributes naming one). */
  readonly application: string | undefined;
}

/** Read batches in flight ahead of the one being decoded. */
const READ_AHEAD = 4;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Executes a pipeline and throws the first command error (ioredis reports them per command). */
async function execOrThrow(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = (await pipeline.exec()) ?? [];
  const results: unknown[] = new Array(replies.length);
  for (let i = 0; i < replies.length; i++) {
    const [error, value] = replies[i]!;
    if (error) throw error;
    results[i] = value;
  }
  return results;
}

/**
 * A {@link CacheStore} in Redis. Layout per namespace (`<prefix>:<namespace>`) and type:
 *
 * | key | type | content |
 * |---|---|---|
 * | `…:<type>:i:<id>` | hash | `a` = attribute JSON, `r:<relName>` = relationship JSON list |
 * | `…:<type>:ids` | set | ids that have attributes (visible unless expired) |
 * | `…:<type>:exp` | zset | TTL items, score = expiry (epoch ms) |
 * | `…:<type>:hashes` | hash | id → digest of the last merge written (write skipping) |
 * | `…:<type>:app:<application>` | set | ids written with that application (see redis-application-index.ts) |
 * | `…:<type>:src:<agent>` | string | JSON list of the ids that agent wrote last (authority bookkeeping) |
 * | `…:types` | set | every type ever written |
 *
 * One hash per item instead of Clouddriver's string per attribute map and per relationship: one
 * HSET writes an item, one HGETALL reads it, relationship names need no registry, and eviction is
 * one UNLINK. TTL items get PEXPIREAT on their hash (never a digest) and an entry in `exp`, so
 * listings can hide them precisely without touching each item.
 */
export class RedisCacheStore implements CacheStore {
  private readonly base: string;
  private readonly options: RedisCacheOptions;

  constructor(
    private readonly redis: Redis,
    /** Item writes and item reads as pre-encoded RESP (one socket write per batch); the rest uses `redis`. */
    private readonly resp: { readonly writer: RespPipeline; readonly reader: RespPipeline },
    readonly namespace: string,
    options: Partial<RedisCacheOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_REDIS_CACHE_OPTIONS, ...options };
    this.base = `${this.options.keyPrefix}:${namespace}`;
  }

  private typeKey(type: string, suffix: string): string {
    return `${this.base}:${type}:${suffix}`;
  }

  private itemKey(type: string, id: string): string {
    return `${this.base}:${type}:i:${id}`;
  }

  private prepare(type: string, data: CacheData, now: number): PreparedItem {
    let attributesJson: string | undefined;
    let clearAttributes = false;
    let expiresAt = 0;
    let application: string | undefined;
    if (hasKeys(data.attributes)) {
      const attributes = withoutNulls(data.attributes);
      if (hasKeys(attributes)) {
        attributesJson = JSON.stringify(attributes);
        application = applicationOfItem(attributes);
        if (data.ttlSeconds > 0) {
          const expiry = Number(attributes.cacheExpiry);
          expiresAt = Number.isFinite(expiry) ? expiry : now + data.ttlSeconds * 1000;
        }
      } else clearAttributes = true;
    }
    const relationshipFields: string[] = [];
    for (const name in data.relationships) relationshipFields.push(RELATIONSHIP_FIELD + name, JSON.stringify(data.relationships[name]));
    let digest: string | undefined;
    // Edges alone (an informative agent's merge) are compared field by field instead (see
    // readStoredState): a digest here would replace the digest of the item's authoritative writer,
    // so both would rewrite the item, and report it changed, every cycle.
    if (this.options.hashingEnabled && expiresAt === 0 && attributesJson !== undefined) {
      // One-shot hash: far cheaper per item than a Hash object with several updates.
      // The application is part of the digest so that items stored before the application index
      // existed look changed once and are written (and indexed) by their next merge.
      const content =
        (application ?? '') + '\u0002' + (attributesJson === undefined ? '\u0000' : attributesJson) + '\u0001' + relationshipFields.join('\u0001');
      digest = hash('sha1', content, 'base64').slice(0, 16);
    }
    return { id: data.id, key: this.itemKey(type, data.id), attributesJson, clearAttributes, expiresAt, relationshipFields, digest, application };
  }

  async mergeAll(type: string, items: readonly CacheData[]): Promise<MergeOutcome> {
    const unchanged = new Set<string>();
    if (items.length === 0) return { unchanged };
    const written = new Set<string>();
    await withRedis(`merge ${this.namespace}/${type}`, async () => {
      // Several batches in flight: while Redis works on one, this process prepares the next. Order
      // is kept: one connection executes commands in the order they were sent.
      const batches = chunks(items, this.options.writeBatchSize);
      let next = 0;
      const worker = async () => {
        while (next < batches.length) await this.mergeBatch(type, batches[next++]!, unchanged, written);
      };
      await Promise.all(Array.from({ length: Math.min(this.options.writeConcurrency, batches.length) }, worker));
    });
    // An id merged twice (in two batches) counts as changed if either merge wrote it.
    for (const id of written) unchanged.delete(id);
    return { unchanged };
  }

  /** Writes the batch's items whose digest changed; adds the ids it skipped to `unchanged` and the others to `written`. */
  private async mergeBatch(type: string, batch: readonly CacheData[], unchanged: Set<string>, written: Set<string>): Promise<void> {
    const now = this.now();
    const prepared = batch.map((data) => this.prepare(type, data, now));
    const stored = await this.readStoredState(type, prepared);
    const toWrite = stored.unchanged.size === 0 ? prepared : prepared.filter((item) => !stored.unchanged.has(item));
    for (const item of prepared) (stored.unchanged.has(item) ? unchanged : written).add(item.id);
    if (toWrite.length === 0) return;
    const commands = this.writeCommands(type, toWrite, stored.wasExpiring);
    try {
      await this.resp.writer.send(commands.payload, commands.count);
    } finally {
      commands.release();
    }
  }

  /**
   * Round trip 1: what is stored, to skip unchanged items — the digests of items with attributes,
   * and for a merge of edges alone the very fields it would write (such a merge changes nothing when
   * every list it carries is stored as it is; an informative agent repeats the same edges every
   * cycle) — and which permanent items had a TTL.
   */
  private async readStoredState(type: string, prepared: readonly PreparedItem[]): Promise<{ unchanged: Set<PreparedItem>; wasExpiring: Set<string> }> {
    const hashesKey = this.typeKey(type, 'hashes');
    const expKey = this.typeKey(type, 'exp');
    const hashed = prepared.filter((item) => item.digest !== undefined);
    const permanent = prepared.filter((item) => item.attributesJson !== undefined && item.expiresAt === 0);
    const edgesOnly = this.options.hashingEnabled ? prepared.filter((item) => item.attributesJson === undefined && !item.clearAttributes) : [];
    const wasExpiring = new Set<string>();
    const unchanged = new Set<PreparedItem>();
    // A merge carrying nothing at all writes nothing either.
    for (const item of edgesOnly) if (item.relationshipFields.length === 0) unchanged.add(item);
    const edgesCompared = edgesOnly.filter((item) => item.relationshipFields.length > 0);
    if (hashed.length === 0 && permanent.length === 0 && edgesCompared.length === 0) return { unchanged, wasExpiring };
    const read = new RespBatch();
    const hashedChunks = chunks(hashed, this.options.multiOpSize);
    const permanentChunks = chunks(permanent, this.options.multiOpSize);
    for (const chunk of hashedChunks)
      read.variadic(
        'HMGET',
        hashesKey,
        chunk.map((item) => item.id),
      );
    for (const chunk of permanentChunks)
      read.variadic(
        'ZMSCORE',
        expKey,
        chunk.map((item) => item.id),
      );
    for (const item of edgesCompared)
      read.variadic(
        'HMGET',
        item.key,
        item.relationshipFields.filter((_, i) => i % 2 === 0),
      );
    let replies: RespReply[];
    try {
      replies = await this.resp.reader.request(read.payload, read.count);
    } finally {
      read.release();
    }
    let r = 0;
    for (const chunk of hashedChunks) {
      const stored = replies[r++] as (string | null)[];
      chunk.forEach((item, i) => {
        if (stored[i] === item.digest) unchanged.add(item);
      });
    }
    for (const chunk of permanentChunks) {
      const scores = replies[r++] as (string | null)[];
      chunk.forEach((item, i) => {
        if (scores[i] !== null) wasExpiring.add(item.id);
      });
    }
    for (const item of edgesCompared) {
      const stored = replies[r++] as (string | null)[];
      if (stored.every((value, i) => value === item.relationshipFields[2 * i + 1])) unchanged.add(item);
    }
    return { unchanged, wasExpiring };
  }

  /**
   * Round trip 2: the writes, ordered so a concurrent purge of expired ids cannot lose a live one
   * (the expiry index changes before the ids set does). Plain commands, no script: per item one
   * HSET (plus HDEL/PEXPIREAT/PERSIST for the rare item that needs them).
   */
  private writeCommands(type: string, toWrite: readonly PreparedItem[], wasExpiring: ReadonlySet<string>): RespBatch {
    const hashesKey = this.typeKey(type, 'hashes');
    const expKey = this.typeKey(type, 'exp');
    const idsKey = this.typeKey(type, 'ids');
    const commands = new RespBatch();
    commands.add(['SADD', `${this.base}:types`, type]);
    const expiring = toWrite.filter((item) => item.attributesJson !== undefined && item.expiresAt > 0);
    const notExpiring = toWrite.filter((item) => (item.attributesJson !== undefined && item.expiresAt === 0) || item.clearAttributes);
    for (const chunk of chunks(expiring, this.options.multiOpSize))
      commands.variadic(
        'ZADD',
        expKey,
        chunk.flatMap((item) => [String(item.expiresAt), item.id]),
      );
    for (const chunk of chunks(notExpiring, this.options.multiOpSize))
      commands.variadic(
        'ZREM',
        expKey,
        chunk.map((item) => item.id),
      );
    for (const item of toWrite) {
      const fieldCount = item.relationshipFields.length + (item.attributesJson === undefined ? 0 : 2);
      if (fieldCount > 0) {
        commands.begin(fieldCount + 2);
        commands.argument('HSET');
        commands.argument(item.key);
        if (item.attributesJson !== undefined) {
          commands.argument(ATTRIBUTES_FIELD);
          commands.argument(item.attributesJson);
        }
        for (const field of item.relationshipFields) commands.argument(field);
      }
      if (item.clearAttributes) commands.add(['HDEL', item.key, ATTRIBUTES_FIELD]);
      if (item.expiresAt > 0) commands.add(['PEXPIREAT', item.key, String(item.expiresAt)]);
      else if (wasExpiring.has(item.id)) commands.add(['PERSIST', item.key]);
    }
    const visible = toWrite.filter((item) => item.attributesJson !== undefined);
    const cleared = toWrite.filter((item) => item.clearAttributes);
    for (const chunk of chunks(visible, this.options.multiOpSize))
      commands.variadic(
        'SADD',
        idsKey,
        chunk.map((item) => item.id),
      );
    addApplicationIds(commands, (application) => this.typeKey(type, `app:${application}`), visible, this.options.multiOpSize);
    for (const chunk of chunks(cleared, this.options.multiOpSize))
      commands.variadic(
        'SREM',
        idsKey,
        chunk.map((item) => item.id),
      );
    const digests = toWrite.filter((item) => item.digest !== undefined);
    // An edges-only write leaves the authoritative writer's digest valid: it changes only its own fields.
    const undigested = toWrite.filter((item) => item.digest === undefined && (item.attributesJson !== undefined || item.clearAttributes));
    for (const chunk of chunks(digests, this.options.multiOpSize))
      commands.variadic(
        'HSET',
        hashesKey,
        chunk.flatMap((item) => [item.id, item.digest!]),
      );
    for (const chunk of chunks(undigested, this.options.multiOpSize))
      commands.variadic(
        'HDEL',
        hashesKey,
        chunk.map((item) => item.id),
      );
    return commands;
  }

  async evictAll(type: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await withRedis(`evict ${this.namespace}/${type}`, async () => {
      for (const chunk of chunks(ids, this.options.multiOpSize)) {
        const pipeline = this.redis.pipeline();
        pipeline.unlink(...chunk.map((id) => this.itemKey(type, id)));
        pipeline.srem(this.typeKey(type, 'ids'), ...chunk);
        pipeline.zrem(this.typeKey(type, 'exp'), ...chunk);
        pipeline.hdel(this.typeKey(type, 'hashes'), ...chunk);
        await execOrThrow(pipeline);
      }
    });
  }

  async getAll(type: string, ids: readonly string[] | undefined, filter?: CacheFilter): Promise<CacheData[]> {
    return withRedis(`read ${this.namespace}/${type}`, async () => {
      const wanted = ids ?? (await this.visibleIds(type));
      const result: CacheData[] = [];
      const expKey = this.typeKey(type, 'exp');
      // No relationships asked for: read only the attributes field, not every edge list of the hash.
      const attributesOnly = filter?.relationshipPrefixes?.length === 0;
      const batches = chunks(wanted, this.options.readBatchSize);
      const send = (chunk: readonly string[]): Promise<RespReply[]> => {
        const commands = new RespBatch();
        for (const id of chunk) commands.add(attributesOnly ? ['HGET', this.itemKey(type, id), ATTRIBUTES_FIELD] : ['HGETALL', this.itemKey(type, id)]);
        commands.variadic('ZMSCORE', expKey, chunk);
        const replies = this.resp.reader.request(commands.payload, commands.count).finally(() => commands.release());
        // Awaited below in order; a read that stops early (a failure) must not leave the rest unhandled.
        replies.catch(() => {});
        return replies;
      };
      // Batches go out READ_AHEAD ahead of the one being decoded: Redis answers the next while this
      // process parses the last (one connection answers in order, so the order is kept).
      const pending = batches.slice(0, READ_AHEAD).map(send);
      for (const [b, chunk] of batches.entries()) {
        const replies = await pending[b]!;
        if (b + READ_AHEAD < batches.length) pending.push(send(batches[b + READ_AHEAD]!));
        const scores = replies[chunk.length] as (string | null)[];
        const now = this.now();
        for (let i = 0; i < chunk.length; i++) {
          // HGET: the value or null; HGETALL: field, value, field, value, …
          const fields = attributesOnly ? [] : (replies[i] as string[]);
          let attributesJson: string | undefined = attributesOnly ? ((replies[i] as string | null) ?? undefined) : undefined;
          for (let f = 0; f < fields.length; f += 2) {
            if (fields[f] === ATTRIBUTES_FIELD) {
              attributesJson = fields[f + 1];
              break;
            }
          }
          if (attributesJson === undefined) continue;
          const expiresAt = scores[i] === null ? 0 : Number(scores[i]);
          if (expiresAt !== 0 && expiresAt <= now) continue;
          const relationships: Record<string, string[]> = {};
          for (let f = 0; f < fields.length; f += 2) {
            const field = fields[f]!;
            if (!field.startsWith(RELATIONSHIP_FIELD)) continue;
            const name = field.slice(RELATIONSHIP_FIELD.length);
            if (filter?.relationshipPrefixes && !relationshipAllowed(name, filter)) continue;
            relationships[name] = JSON.parse(fields[f + 1]!) as string[];
          }
          const ttlSeconds = expiresAt === 0 ? -1 : Math.max(1, Math.ceil((expiresAt - now) / 1000));
          result.push({ id: chunk[i]!, attributes: JSON.parse(attributesJson) as Record<string, unknown>, relationships, ttlSeconds });
        }
      }
      return result;
    });
  }

  /**
   * The application's id set, then the items as {@link getAll} reads them, keeping those whose
   * stored attributes still name the application; ids whose item is gone are purged from the set.
   */
  async getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    const setKey = this.typeKey(type, `app:${application}`);
    const ids = await withRedis(`application ids ${this.namespace}/${type}`, () => this.redis.smembers(setKey));
    if (ids.length === 0) return [];
    const items = await this.getAll(type, ids, filter);
    const kept = items.filter((item) => applicationOfItem(item.attributes) === application);
    if (items.length < ids.length) {
      const found = new Set(items.map((item) => item.id));
      const missing = ids.filter((id) => !found.has(id));
      await withRedis(`application ids ${this.namespace}/${type}`, () => purgeGoneIds(this.redis, setKey, (id) => this.itemKey(type, id), missing));
    }
    return kept;
  }

  async existingIds(type: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return withRedis(`exists ${this.namespace}/${type}`, async () => {
      const result: string[] = [];
      for (const chunk of chunks(ids, this.options.multiOpSize)) {
        const pipeline = this.redis.pipeline();
        pipeline.smismember(this.typeKey(type, 'ids'), ...chunk);
        pipeline.zmscore(this.typeKey(type, 'exp'), ...chunk);
        const [members, scores] = (await execOrThrow(pipeline)) as [number[], (string | null)[]];
        const now = this.now();
        chunk.forEach((id, i) => {
          if (members[i] === 1 && (scores[i] === null || Number(scores[i]) > now)) result.push(id);
        });
      }
      return result;
    });
  }

  ids(type: string): Promise<string[]> {
    return withRedis(`ids ${this.namespace}/${type}`, () => this.visibleIds(type));
  }

  /** Every id in the ids set minus expired TTL items (which it then purges). */
  private async visibleIds(type: string, match?: string): Promise<string[]> {
    const idsKey = this.typeKey(type, 'ids');
    const expKey = this.typeKey(type, 'exp');
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, page] = match
        ? await this.redis.sscan(idsKey, cursor, 'MATCH', match, 'COUNT', this.options.scanCount)
        : await this.redis.sscan(idsKey, cursor, 'COUNT', this.options.scanCount);
      cursor = next;
      for (const id of page) found.add(id); // SSCAN may return an element twice
    } while (cursor !== '0');
    const now = this.now();
    const expired = await this.redis.zrangebyscore(expKey, '-inf', now);
    if (expired.length > 0) {
      for (const id of expired) found.delete(id);
      await PURGE_EXPIRED.run(this.redis, [expKey, idsKey], [now]);
    }
    return [...found];
  }

  async filterIds(type: string, glob: string): Promise<string[]> {
    if (isLiteralGlob(glob)) return this.existingIds(type, [glob]);
    const exact = globToRegExp(glob);
    return withRedis(`filter ${this.namespace}/${type}`, async () => (await this.visibleIds(type, globToRedisMatch(glob))).filter((id) => exact.test(id)));
  }

  async getSourceIds(type: string, source: string): Promise<string[]> {
    const json = await withRedis(`source ids ${this.namespace}/${type}`, () => this.redis.get(this.typeKey(type, `src:${source}`)));
    return json ? (JSON.parse(json) as string[]) : [];
  }

  async setSourceIds(type: string, source: string, ids: readonly string[]): Promise<void> {
    const key = this.typeKey(type, `src:${source}`);
    await withRedis(`source ids ${this.namespace}/${type}`, async () => {
      if (ids.length === 0) await this.redis.del(key);
      else await this.redis.set(key, JSON.stringify(ids));
    });
  }

  types(): Promise<string[]> {
    return withRedis(`types ${this.namespace}`, () => this.redis.smembers(`${this.base}:types`));
  }
}
