import { CatsProviderCache } from '@stratus/core';
import { cacheData } from '@stratus/plugin-api';
import { runCacheStoreContract } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RespPipeline } from '../src/connection/resp-pipeline.js';
import { RedisCacheStoreFactory, globToRedisMatch } from '../src/index.js';
import { dropPrefix, testClient, testPrefix } from './redis-test-support.js';

runCacheStoreContract('redis', async () => {
  const prefix = testPrefix('cache-contract');
  const redis = testClient();
  // Small batches so the contract's 2,500-item test crosses batch boundaries.
  const factory = new RedisCacheStoreFactory(redis, { keyPrefix: prefix, writeBatchSize: 300, readBatchSize: 300, multiOpSize: 128, scanCount: 100 });
  return { factory, cleanup: () => dropPrefix(redis, prefix) };
});

describe('RedisCacheStore specifics', () => {
  const prefix = testPrefix('cache');
  const redis = testClient();
  const factory = new RedisCacheStoreFactory(redis, { keyPrefix: prefix });
  let commands: string[] = [];

  beforeAll(async () => {
    await redis.ping();
  });
  afterAll(() => dropPrefix(redis, prefix));

  /** The command names in a RESP payload (`*N`, then N bulk strings per command). */
  function commandNames(payload: string | Uint8Array): string[] {
    const bytes = Buffer.from(payload);
    const names: string[] = [];
    let at = 0;
    const header = () => {
      const end = bytes.indexOf('\r\n', at);
      const value = Number(bytes.toString('latin1', at + 1, end));
      at = end + 2;
      return value;
    };
    while (at < bytes.length) {
      const count = header();
      for (let i = 0; i < count; i++) {
        const length = header();
        if (i === 0) names.push(bytes.toString('utf8', at, at + length).toLowerCase());
        at += length + 2;
      }
    }
    return names;
  }

  /** The write commands a block sends, through MONITOR-free hooks on the ioredis client and on the RESP write connection. */
  async function writesDuring(block: () => Promise<unknown>): Promise<string[]> {
    commands = [];
    const original = redis.sendCommand.bind(redis);
    redis.sendCommand = ((command: { name: string }) => {
      commands.push(command.name);
      return original(command as never);
    }) as typeof redis.sendCommand;
    const originalSend = RespPipeline.prototype.send;
    // Decoded at call time: the store reuses a batch's buffer once it has been answered.
    const send = vi.spyOn(RespPipeline.prototype, 'send').mockImplementation(function (this: RespPipeline, payload, count) {
      commands.push(...commandNames(payload));
      return originalSend.call(this, payload, count);
    });
    try {
      await block();
    } finally {
      redis.sendCommand = original;
      send.mockRestore();
    }
    return commands.filter((name) => ['eval', 'evalsha', 'hset', 'sadd', 'zadd', 'zrem', 'pexpireat', 'persist', 'hdel'].includes(name));
  }

  it('keeps each namespace under its own key prefix and one hash per item', async () => {
    const store = factory.getStore('aws');
    await store.mergeAll('serverGroups', [cacheData('aws:serverGroups:a', { n: 1 }, { 'instances:A': ['i:1'] })]);
    expect(await redis.hgetall(`${prefix}:aws:serverGroups:i:aws:serverGroups:a`)).toEqual({ a: '{"n":1}', 'r:instances:A': '["i:1"]' });
    expect(await redis.smembers(`${prefix}:aws:types`)).toEqual(['serverGroups']);
    expect(await factory.getStore('kubernetes').ids('serverGroups')).toEqual([]);
  });

  it('skips rewriting items whose content did not change, and writes changed ones', async () => {
    const store = factory.getStore('hashing');
    const items = Array.from({ length: 50 }, (_, i) => cacheData(`sg:${i}`, { i }, { 'instances:A': [`i:${i}`] }));
    const cold = await writesDuring(() => store.mergeAll('sg', items));
    expect(cold.filter((c) => c === 'hset')).toHaveLength(51); // one per item hash, one variadic for the digests
    expect(await redis.hlen(`${prefix}:hashing:sg:hashes`)).toBe(50);
    const warm = await writesDuring(() => store.mergeAll('sg', items));
    expect(warm).toEqual([]);
    const changed = items.map((item, i) => (i === 7 ? cacheData(item.id, { i, changed: true }, item.relationships) : item));
    const partial = await writesDuring(() => store.mergeAll('sg', changed));
    expect(partial.filter((c) => c === 'hset')).toEqual(['hset', 'hset']); // the item and its digest
    expect((await store.getAll('sg', ['sg:7']))[0]!.attributes).toEqual({ i: 7, changed: true });
    // After an eviction the same content must be written again.
    await store.evictAll('sg', ['sg:3']);
    await store.mergeAll('sg', items);
    expect(await store.existingIds('sg', ['sg:3'])).toEqual(['sg:3']);
  });

  it('never hashes TTL items and expires them with PEXPIREAT on the item hash', async () => {
    const store = factory.getStore('ttl');
    const expiry = Date.now() + 60_000;
    await store.mergeAll('onDemand', [cacheData('od:1', { cacheExpiry: expiry }, {}, 60)]);
    const key = `${prefix}:ttl:onDemand:i:od:1`;
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(50_000);
    expect(await redis.hget(`${prefix}:ttl:onDemand:hashes`, 'od:1')).toBeNull();
    expect((await store.getAll('onDemand', ['od:1']))[0]!.ttlSeconds).toBeGreaterThan(50);
    // A later permanent write removes the expiry.
    await store.mergeAll('onDemand', [cacheData('od:1', { v: 2 })]);
    expect(await redis.pttl(key)).toBe(-1);
    expect((await store.getAll('onDemand', ['od:1']))[0]!.ttlSeconds).toBe(-1);
    expect(await redis.zscore(`${prefix}:ttl:onDemand:exp`, 'od:1')).toBeNull();
  });

  it('a merge whose attributes are all null hides the item', async () => {
    const store = factory.getStore('nulls');
    await store.mergeAll('t', [cacheData('x', { a: 1 })]);
    await store.mergeAll('t', [cacheData('x', { a: null })]);
    expect(await store.ids('t')).toEqual([]);
    expect(await store.getAll('t', ['x'])).toEqual([]);
  });

  it('purges expired ids from the listings', async () => {
    const store = factory.getStore('purge');
    await store.mergeAll('t', [cacheData('gone', { cacheExpiry: Date.now() + 50 }, {}, 1), cacheData('stays', { v: 1 })]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.ids('t')).toEqual(['stays']);
    expect(await redis.smembers(`${prefix}:purge:t:ids`)).toEqual(['stays']);
    expect(await redis.zcard(`${prefix}:purge:t:exp`)).toBe(0);
  });

  it('filterIds escapes Redis glob specials and stays exact for non-ASCII ids', async () => {
    const store = factory.getStore('glob');
    const ids = ['a*b', 'a?b', 'a\\b', 'a]b', 'axb', 'aéb', 'a[b'];
    await store.mergeAll(
      't',
      ids.map((id) => cacheData(id, { id })),
    );
    const f = async (glob: string) => (await store.filterIds('t', glob)).sort();
    expect(await f('a?b')).toEqual([...ids].sort());
    expect(await f('a[!x]b')).toEqual(ids.filter((id) => id !== 'axb').sort());
    expect(await f('a\\*')).toEqual(['a\\b']);
    expect(await f('a]*')).toEqual(['a]b']);
    expect(await f('a[*')).toEqual(['a[b']);
    expect(await f('a[xy]b')).toEqual(['axb']);
    expect(globToRedisMatch('a*b?[!c][d-f]\\]x')).toBe('a*b*[d-f]\\\\\\]x');
  });

  it('source bookkeeping round-trips and is invisible to reads', async () => {
    const store = factory.getStore('sources');
    await store.setSourceIds('t', 'agent/A', ['x', 'y']);
    expect(await store.getSourceIds('t', 'agent/A')).toEqual(['x', 'y']);
    expect(await store.ids('t')).toEqual([]);
    await store.setSourceIds('t', 'agent/A', []);
    expect(await store.getSourceIds('t', 'agent/A')).toEqual([]);
  });

  it('works through the CATS engine across batch boundaries', async () => {
    const cache = new CatsProviderCache(
      new RedisCacheStoreFactory(redis, { keyPrefix: prefix, writeBatchSize: 7, readBatchSize: 5, multiOpSize: 3 }).getStore('engine'),
    );
    const items = Array.from({ length: 40 }, (_, i) => cacheData(`k:${i}`, { i }, { rel: [`r:${i}`] }));
    await cache.putCacheResult('A', ['t'], { cacheResults: { t: items } });
    expect((await cache.getAll('t')).length).toBe(40);
    await cache.putCacheResult('A', ['t'], { cacheResults: { t: items.slice(0, 11) } });
    expect((await cache.getIdentifiers('t')).sort()).toEqual(
      items
        .slice(0, 11)
        .map((d) => d.id)
        .sort(),
    );
  });
});
