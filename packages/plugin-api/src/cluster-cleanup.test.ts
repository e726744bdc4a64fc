import { describe, expect, it } from 'vitest';
import type { Cache } from './cache.js';
import { cacheData, type CacheData } from './cache-data.js';
import { clusterCleanupResult } from './cluster-cleanup.js';

/** A read-only cache over fixed items, honouring `relationshipPrefixes` as the real stores do. */
function cacheOf(items: Record<string, CacheData[]>): Cache {
  const all = (type: string) => items[type] ?? [];
  const filtered = (item: CacheData, prefixes?: readonly string[]) =>
    prefixes ? { ...item, relationships: Object.fromEntries(Object.entries(item.relationships).filter(([t]) => prefixes.some((p) => t.startsWith(p)))) } : item;
  return {
    get: async (type, id, filter) =>
      all(type)
        .filter((i) => i.id === id)
        .map((i) => filtered(i, filter?.relationshipPrefixes))[0],
    getAll: async (type, filter) => all(type).map((i) => filtered(i, filter?.relationshipPrefixes)),
    getAllByIds: async (type, ids, filter) =>
      all(type)
        .filter((i) => ids.includes(i.id))
        .map((i) => filtered(i, filter?.relationshipPrefixes)),
    existingIdentifiers: async (type, ids) => ids.filter((id) => all(type).some((i) => i.id === id)),
    getIdentifiers: async (type) => all(type).map((i) => i.id),
    filterIdentifiers: async () => [],
  };
}

describe('clusterCleanupResult', () => {
  it('evicts clusters without a live server group and applications without a live cluster', async () => {
    const cache = cacheOf({
      serverGroups: [cacheData('sg:shop-web-v001', {})],
      clusters: [
        cacheData('cl:shop-web', {}, { serverGroups: ['sg:shop-web-v000', 'sg:shop-web-v001'], applications: ['app:shop'] }),
        cacheData('cl:shop-old', {}, { serverGroups: ['sg:shop-old-v000'] }),
        cacheData('cl:gone-web', {}, { serverGroups: ['sg:gone-web-v003'] }),
        cacheData('cl:empty', {}),
      ],
      applications: [
        cacheData('app:shop', {}, { clusters: ['cl:shop-web', 'cl:shop-old'] }),
        cacheData('app:gone', {}, { clusters: ['cl:gone-web', 'cl:never-cached'] }),
        cacheData('app:bare', {}),
      ],
    });
    expect(await clusterCleanupResult(cache)).toEqual({
      cacheResults: {},
      evictions: { clusters: ['cl:shop-old', 'cl:gone-web', 'cl:empty'], applications: ['app:gone', 'app:bare'] },
      introspectionDetails: { evictedClusters: 3, evictedApplications: 2 },
    });
  });

  it('evicts nothing when every cluster has a live server group', async () => {
    const cache = cacheOf({
      serverGroups: [cacheData('sg:a-v000', {})],
      clusters: [cacheData('cl:a', {}, { serverGroups: ['sg:a-v000'] })],
      applications: [cacheData('app:a', {}, { clusters: ['cl:a'] })],
    });
    expect((await clusterCleanupResult(cache)).evictions).toEqual({ clusters: [], applications: [] });
  });
});
