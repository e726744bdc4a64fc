import { applicationOfItem, cacheData, type Cache, type CacheData } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { ApplicationPreloadedCache } from './application-preload.js';

const ITEMS: CacheData[] = [
  cacheData('sg:1', { name: 'shop-v001', application: 'shop' }, { instances: ['i:1'], loadBalancers: ['lb:1'] }),
  cacheData('sg:2', { name: 'shop-v002', application: 'shop' }, {}),
  cacheData('sg:x', { name: '-v003' }, { instances: ['i:x'] }),
  cacheData('sg:o', { name: 'other-v001', application: 'other' }, {}),
];

/** A one-type cache answering as the stores do (ids order, duplicates kept, prefix filters), logging by-id reads. */
function fakeCache(byIdReads: string[][]): Cache {
  const only = (item: CacheData, prefixes?: readonly string[]): CacheData =>
    prefixes ? { ...item, relationships: Object.fromEntries(Object.entries(item.relationships).filter(([k]) => prefixes.some((p) => k.startsWith(p)))) } : item;
  return {
    get: async (_type, id) => ITEMS.find((i) => i.id === id),
    getAll: async () => ITEMS,
    getAllByIds: async (_type, ids, filter) => {
      byIdReads.push([...ids]);
      return ids.flatMap((id) => ITEMS.filter((i) => i.id === id).map((i) => only(i, filter?.relationshipPrefixes)));
    },
    existingIdentifiers: async (_type, ids) => ids.filter((id) => ITEMS.some((i) => i.id === id)),
    getIdentifiers: async () => ITEMS.map((i) => i.id),
    filterIdentifiers: async () => [],
    getAllByApplication: async (_type, application) => ITEMS.filter((i) => applicationOfItem(i.attributes) === application.toLowerCase()),
  };
}

describe('ApplicationPreloadedCache', () => {
  it('answers ids in the order asked (duplicates kept, unknown ids skipped) like the cache, reading only what the index lacks by id', async () => {
    const byIdReads: string[][] = [];
    const cache = fakeCache(byIdReads);
    const preloaded = await ApplicationPreloadedCache.load(cache, 'SHOP', ['serverGroups']);
    const ids = ['sg:2', 'sg:x', 'sg:1', 'sg:gone', 'sg:2', 'sg:o'];
    const answer = await preloaded.getAllByIds('serverGroups', ids);
    expect(byIdReads).toEqual([['sg:x', 'sg:gone', 'sg:o']]);
    expect(answer).toEqual(await cache.getAllByIds('serverGroups', ids));
    // Types not preloaded go straight to the cache.
    await preloaded.getAllByIds('instances', ['sg:1']);
    expect(byIdReads.at(-1)).toEqual(['sg:1']);
  });

  it('applies relationship filters to preloaded items as the stores do', async () => {
    const cache = fakeCache([]);
    const preloaded = await ApplicationPreloadedCache.load(cache, 'shop', ['serverGroups']);
    for (const filter of [{ relationshipPrefixes: [] }, { relationshipPrefixes: ['inst'] }]) {
      expect(await preloaded.getAllByIds('serverGroups', ['sg:1', 'sg:x'], filter)).toEqual(await cache.getAllByIds('serverGroups', ['sg:1', 'sg:x'], filter));
    }
  });

  it('is the cache itself when there is no application index', async () => {
    const { getAllByApplication: _unused, ...plain } = fakeCache([]);
    expect(await ApplicationPreloadedCache.load(plain, 'shop', ['serverGroups'])).toBe(plain);
  });
});
