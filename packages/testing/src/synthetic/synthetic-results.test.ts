import { CatsProviderCache, MemoryCacheStore } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { generateSyntheticResults } from './synthetic-results.js';

describe('generateSyntheticResults', () => {
  const options = { agents: 6, resourcesPerAgent: 200, changedFraction: 0.05, seed: 3 };

  it('builds each agent result deterministically, with exactly resourcesPerAgent items', () => {
    const a = generateSyntheticResults(options);
    const b = generateSyntheticResults(options);
    expect(a.totalResources).toBe(1_200);
    for (let i = 0; i < options.agents; i++) {
      const result = a.result(i, 0);
      expect(result.itemCount).toBe(200);
      expect(result.agentType).toMatch(/^bench\d+\/region-\d\/SyntheticClusterCachingAgent$/);
      expect(result).toEqual(b.result(i, 0));
    }
    expect(a.result(0, 0)).not.toEqual(generateSyntheticResults({ ...options, seed: 4 }).result(0, 0));
  });

  it('changes exactly changedFraction of the items per cycle, keeping ids', () => {
    const data = generateSyntheticResults(options);
    const cold = data.result(2, 0);
    const warm = data.result(2, 1);
    expect(warm.changedCount).toBe(10);
    const all = (r: typeof cold) => Object.values(r.result.cacheResults).flat();
    expect(all(warm).map((i) => i.id)).toEqual(all(cold).map((i) => i.id));
    const differing = all(warm).filter((item, i) => JSON.stringify(item.attributes) !== JSON.stringify(all(cold)[i]!.attributes));
    expect(differing).toHaveLength(10);
    expect(data.result(2, 2).changedCount).toBe(10);
  });

  it('round-trips through the CATS engine: a warm cycle evicts nothing and keeps every item', async () => {
    const data = generateSyntheticResults(options);
    const cache = new CatsProviderCache(new MemoryCacheStore('synthetic-results-test'));
    for (const cycle of [0, 1]) {
      for (const r of data.results(cycle)) {
        const stats = await cache.putCacheResult(r.agentType, r.authoritativeTypes, r.result);
        expect(stats).toEqual({ itemsWritten: 200, itemsEvicted: 0 });
      }
    }
    const stored =
      (await cache.getIdentifiers('serverGroups')).length + (await cache.getIdentifiers('instances')).length + (await cache.getIdentifiers('clusters')).length;
    expect(stored).toBe(data.distinctItems);
    const [cluster] = await cache.getAll('clusters');
    // Agents of one account in different regions contribute edges to the same cluster.
    expect(new Set(cluster!.relationships.serverGroups!.map((key) => key.split(':')[4])).size).toBeGreaterThan(1);
  });
});
