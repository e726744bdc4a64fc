import { cacheData, type CacheData } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { ApplicationGenerations } from './application-generations.js';
import type { CacheStore, CacheStoreFactory } from './cache-store.js';
import { ChangeTrackingCacheStoreFactory } from './change-tracking-cache-store.js';
import { MemoryCacheStoreFactory } from './memory-cache-store.js';
import { VIEW_STAMPS_NAMESPACE } from './shared-application-stamps.js';

/** A memory factory whose stamp store refuses its next `failures` writes (a store blip during a publish). */
function flakyStamps(failures: { count: number }): CacheStoreFactory {
  const inner = new MemoryCacheStoreFactory();
  return {
    kind: 'memory',
    ping: () => inner.ping(),
    close: () => inner.close(),
    getStore(namespace: string): CacheStore {
      const store = inner.getStore(namespace);
      if (namespace !== VIEW_STAMPS_NAMESPACE) return store;
      return Object.assign(Object.create(store) as CacheStore, {
        mergeAll: async (type: string, items: readonly CacheData[]) => {
          if (failures.count-- > 0) throw new Error('store unavailable');
          return store.mergeAll(type, items);
        },
      });
    },
  };
}

describe('shared application stamps', () => {
  it('a publish that failed goes out with the next write, even one that changed nothing', async () => {
    const failures = { count: 0 };
    const generations = new ApplicationGenerations();
    const store = new ChangeTrackingCacheStoreFactory(flakyStamps(failures), generations, { shared: true }).getStore('aws');
    const stamps = generations.shared!;
    const item = cacheData('sg:1', { application: 'shop', size: 1 });
    await store.mergeAll('serverGroups', [item]);
    const before = await stamps.stampOf('shop');

    failures.count = 1;
    await store.mergeAll('serverGroups', [cacheData('sg:1', { application: 'shop', size: 2 })]);
    expect(await stamps.stampOf('shop')).toBe(before);
    expect(stamps.pending).toBe(true);

    await store.mergeAll('serverGroups', [cacheData('sg:1', { application: 'shop', size: 2 })]);
    expect(await stamps.stampOf('shop')).not.toBe(before);
    expect(stamps.pending).toBe(false);
  });

  it('what failed joins the next publish, and a failed catch-all stays a catch-all', async () => {
    const failures = { count: 0 };
    const generations = new ApplicationGenerations();
    const store = new ChangeTrackingCacheStoreFactory(flakyStamps(failures), generations, { shared: true }).getStore('aws');
    const stamps = generations.shared!;
    await store.mergeAll('serverGroups', [cacheData('sg:1', { application: 'shop' }), cacheData('sg:2', { application: 'blog' })]);
    const shop = await stamps.stampOf('shop');
    const blog = await stamps.stampOf('blog');

    failures.count = 2;
    await store.mergeAll('serverGroups', [cacheData('sg:1', { application: 'shop', v: 2 })]);
    await store.evictAll('serverGroups', ['sg:gone']);
    expect(await stamps.stampOf('blog')).toBe(blog);
    await store.mergeAll('serverGroups', [cacheData('sg:3', { application: 'news' })]);
    // The catch-all moved: every application's stamp differs.
    expect(await stamps.stampOf('shop')).not.toBe(shop);
    expect(await stamps.stampOf('blog')).not.toBe(blog);
    expect(stamps.pending).toBe(false);
  });
});
