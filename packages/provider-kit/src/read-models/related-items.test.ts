import { cacheData, type Cache, type CacheData } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { loadRelated, relatedItems } from './related-items.js';

const INSTANCES = [cacheData('i:1', { name: 'i-1' }, { serverGroups: ['sg:1'] }), cacheData('i:3', { name: 'i-3' }, { serverGroups: ['sg:1'] })];

/** A one-type cache logging its by-id reads and dropping relationships as the stores do for `relationshipPrefixes: []`. */
function fakeCache(reads: { ids: readonly string[]; prefixes: readonly string[] | undefined }[]): Cache {
  return {
    get: async () => undefined,
    getAll: async () => INSTANCES,
    getAllByIds: async (_type, ids, filter) => {
      reads.push({ ids: [...ids], prefixes: filter?.relationshipPrefixes });
      return INSTANCES.filter((i) => ids.includes(i.id)).map((i) => (filter?.relationshipPrefixes ? { ...i, relationships: {} } : i));
    },
    existingIdentifiers: async (_type, ids) => [...ids],
    getIdentifiers: async () => [],
    filterIdentifiers: async () => [],
  };
}

describe('loadRelated', () => {
  it('reads every related key once, in one read without relationships, and answers by id', async () => {
    const reads: { ids: readonly string[]; prefixes: readonly string[] | undefined }[] = [];
    const groups = [cacheData('sg:1', {}, { instances: ['i:1', 'i:2'] }), cacheData('sg:2', {}, { instances: ['i:1', 'i:3'] }), cacheData('sg:3', {}, {})];
    const loaded = await loadRelated(fakeCache(reads), groups, 'instances');
    expect(reads).toEqual([{ ids: ['i:1', 'i:2', 'i:3'], prefixes: [] }]);
    expect([...loaded.keys()].sort()).toEqual(['i:1', 'i:3']);
    expect(loaded.get('i:1')?.attributes.name).toBe('i-1');
  });
});

describe('relatedItems', () => {
  it('returns the loaded items of the edges in edge order and skips edges to items not loaded', () => {
    const loaded = new Map<string, CacheData>(INSTANCES.map((i) => [i.id, i]));
    const group = cacheData('sg:1', {}, { instances: ['i:3', 'i:2', 'i:1'] });
    expect(relatedItems(group, 'instances', loaded).map((i) => i.id)).toEqual(['i:3', 'i:1']);
    expect(relatedItems(group, 'loadBalancers', loaded)).toEqual([]);
  });
});
