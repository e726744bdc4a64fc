import { CatsProviderCache, DualWriteCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import type { CacheData, CacheResult } from '@stratus/plugin-api';
import { createSqlDatabase } from '@stratus/sql';
import { describe, expect, it } from 'vitest';
import { stratusCli } from './support/live-task-servers.js';
import { scratchStores } from './support/scratch-stores.js';
import { openCacheStore } from '../src/migration/open-cache-store.js';

/**
 * A cache store migration with real stores: a caching agent (two authoritative types, edges between
 * them, servers coming and going every cycle) writes through the dual-write factory while a reader
 * reads through the current store after every cycle. The target starts with leftovers of an earlier,
 * abandoned migration. After one full cycle the target answers every read exactly as the current
 * store does; then reads switch to the target and the agent keeps running on it alone: the answers
 * stay identical to what the current store would have given, and are never empty.
 */
const scratch = scratchStores();
const { cleanups } = scratch;

const NAMESPACE = 'aws';
const SOURCE = 'aws/ClusterCachingAgent/prod/us-east-1';
const TYPES = ['serverGroups', 'instances'] as const;

/** Cycle `n` of a cloud where server groups come and go: ids depend on the cycle. */
function cycle(n: number): CacheResult {
  const groups = Array.from({ length: 40 }, (_, i) => i + Math.floor(n / 2) * 5).map(
    (i) => `aws:serverGroups:prod:us-east-1:app-v${String(i).padStart(3, '0')}`,
  );
  const serverGroups: CacheData[] = groups.map((id, i) => ({
    id,
    ttlSeconds: 0,
    attributes: { name: id.split(':').pop(), capacity: (i + n) % 7, launchedAt: 1_700_000_000_000 + i },
    relationships: { instances: [`${id}-i-0`, `${id}-i-1`] },
  }));
  const instances: CacheData[] = groups.flatMap((id) =>
    [0, 1].map((k) => ({
      id: `${id}-i-${k}`,
      ttlSeconds: 0,
      attributes: { state: (n + k) % 3 === 0 ? 'pending' : 'running' },
      relationships: { serverGroups: [id] },
    })),
  );
  return { cacheResults: { serverGroups, instances } };
}

/** Everything a reader can see, in a stable order. */
async function snapshot(cache: CatsProviderCache): Promise<Record<string, unknown>> {
  const view: Record<string, unknown> = {};
  for (const type of TYPES) {
    const items = await cache.getAll(type);
    view[type] = items
      .map((item) => ({
        ...item,
        relationships: Object.fromEntries(
          Object.entries(item.relationships ?? {})
            .map(([k, v]) => [k, [...v].sort()])
            .sort(),
        ),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    view[`${type}:glob`] = (await cache.filterIdentifiers(type, '*app-v01*')).sort();
  }
  return view;
}

async function scenario(current: CacheStoreFactory, target: CacheStoreFactory): Promise<{ cycles: number; readsCompared: number }> {
  // Leftovers of an abandoned migration in the target: an item the current store never had, recorded
  // as this agent's; the first cycle must evict it from the target.
  const leftover = 'aws:serverGroups:prod:us-east-1:gone-v000';
  await target.getStore(NAMESPACE).mergeAll('serverGroups', [{ id: leftover, ttlSeconds: 0, attributes: { name: 'gone' }, relationships: {} }]);
  await target.getStore(NAMESPACE).setSourceIds('serverGroups', SOURCE, [leftover]);

  // Before the migration: the current store alone, a few cycles in.
  const before = new CatsProviderCache(current.getStore(NAMESPACE));
  for (let n = 0; n < 3; n += 1) await before.putCacheResult(SOURCE, [...TYPES], cycle(n));

  // Dual-write: reads on the current store after every cycle, never empty.
  const dual = new DualWriteCacheStoreFactory(current, target);
  const writer = new CatsProviderCache(dual.getStore(NAMESPACE));
  const currentReader = new CatsProviderCache(current.getStore(NAMESPACE));
  const targetReader = new CatsProviderCache(target.getStore(NAMESPACE));
  let readsCompared = 0;
  let n = 3;
  for (; n < 7; n += 1) {
    await writer.putCacheResult(SOURCE, [...TYPES], cycle(n));
    const seen = await snapshot(currentReader);
    expect((seen.serverGroups as unknown[]).length).toBeGreaterThan(0);
    // One full cycle in: the target answers exactly as the current store does.
    expect(await snapshot(targetReader)).toEqual(seen);
    readsCompared += 1;
  }
  expect(await targetReader.get('serverGroups', leftover)).toBeUndefined();
  const atSwitch = await snapshot(currentReader);

  // Switch: reads (and the agent) move to the target; the old store keeps what it had.
  expect(await snapshot(targetReader)).toEqual(atSwitch);
  const after = new CatsProviderCache(target.getStore(NAMESPACE));
  const shadow = new CatsProviderCache(current.getStore(NAMESPACE)); // what the old store alone would answer
  for (; n < 10; n += 1) {
    await after.putCacheResult(SOURCE, [...TYPES], cycle(n));
    await shadow.putCacheResult(SOURCE, [...TYPES], cycle(n));
    const seen = await snapshot(after);
    expect((seen.serverGroups as unknown[]).length).toBeGreaterThan(0);
    expect(seen).toEqual(await snapshot(shadow));
    readsCompared += 1;
  }
  return { cycles: n, readsCompared };
}

describe('cache store migration with dual writes', () => {
  it('memory -> Redis', async () => {
    const prefix = scratch.redisPrefix('cachemig');
    const memory = await openCacheStore('memory');
    const target = await openCacheStore(`redis://127.0.0.1:6379/0?prefix=${prefix}`);
    cleanups.push(() => target.close());
    const result = await scenario(memory.factory, target.factory);
    expect(result.readsCompared).toBe(7);
  }, 60_000);

  it('Redis -> PostgreSQL', async () => {
    const prefix = scratch.redisPrefix('cachemig');
    const postgres = await scratch.database('postgres');
    const current = await openCacheStore(`redis://127.0.0.1:6379/0?prefix=${prefix}`);
    cleanups.push(() => current.close());
    const target = await openCacheStore(postgres.url, { migrate: true });
    cleanups.push(() => target.close());
    const result = await scenario(current.factory, target.factory);
    expect(result.readsCompared).toBe(7);
  }, 60_000);
});

const cli = stratusCli;

describe('stratus migrate cache and migrate verify cache', () => {
  it('copies Redis -> PostgreSQL with progress, verifies equal, then catches a corrupted row', async () => {
    const prefix = scratch.redisPrefix('cachecopy');
    const postgres = await scratch.database('postgres');
    const from = `redis://127.0.0.1:6379/0?prefix=${prefix}`;
    const source = await openCacheStore(from);
    try {
      const cache = new CatsProviderCache(source.factory.getStore(NAMESPACE));
      for (let n = 0; n < 3; n += 1) await cache.putCacheResult(SOURCE, [...TYPES], cycle(n));
      await new CatsProviderCache(source.factory.getStore('kubernetes')).putCacheResult('k8s/agent', ['pods'], {
        cacheResults: { pods: [{ id: 'kubernetes:pods:prod:default:web-1', ttlSeconds: 0, attributes: { phase: 'Running' }, relationships: {} }] },
      });
    } finally {
      await source.close();
    }

    const copy = cli(['migrate', 'cache', '--from', from, '--to', postgres.url]);
    expect(copy.status, copy.stderr).toBe(0);
    expect(JSON.parse(copy.stdout)).toEqual({ namespaces: 2, types: 3, items: 40 + 80 + 1 });
    expect(copy.stderr).toContain('migrate cache: aws/instances 80/80');
    // Idempotent: a second run changes nothing.
    expect(cli(['migrate', 'cache', '--from', from, '--to', postgres.url]).status).toBe(0);

    const same = cli(['migrate', 'verify', 'cache', '--from', from, '--to', postgres.url]);
    expect(same.status, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ ok: true, items: 121, differences: [] });

    const victim = 'aws:serverGroups:prod:us-east-1:app-v010';
    const database = createSqlDatabase({ url: postgres.url, maxConnections: 1 });
    try {
      const changed = await database.affected(
        database.statement(`update ${database.tables.cacheItems} set attributes = ? where ns = ? and type = ? and id = ?`),
        [JSON.stringify({ name: 'app-v010', capacity: 99, launchedAt: 1_700_000_000_005 }), NAMESPACE, 'serverGroups', victim],
      );
      expect(changed).toBe(1);
    } finally {
      await database.close();
    }
    const corrupted = cli(['migrate', 'verify', 'cache', '--from', from, '--to', postgres.url, '--sample', '1000']);
    expect(corrupted.status).toBe(1);
    expect(corrupted.stderr).toContain(`aws/serverGroups ${victim}: attributes.capacity differ`);
  }, 120_000);
});
