import { randomUUID } from 'node:crypto';
import { cacheData, type CacheData, type CacheResult } from '@stratus/plugin-api';
import { ApplicationGenerations, CatsProviderCache, ChangeTrackingCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import { expect, it } from 'vitest';

const SG = 'serverGroups';
const LB = 'loadBalancers';

const result = (cacheResults: Record<string, CacheData[]>): CacheResult => ({ cacheResults });

/**
 * The part of the cache-store contract views depend on: a store reports the merges that left an
 * item exactly as it was (`MergeOutcome.unchanged`), and never one that changed it, so a caching
 * cycle that found nothing new leaves every application's cached views valid
 * (docs/read-api.md, "Repeated reads"). Run inside {@link runCacheStoreContract}'s describe block.
 */
export function runCacheStoreChangeContract(factoryOf: () => CacheStoreFactory): void {
  const tracked = () => {
    const generations = new ApplicationGenerations();
    const factory = new ChangeTrackingCacheStoreFactory(factoryOf(), generations);
    const namespace = `changes-${randomUUID().slice(0, 8)}`;
    return { generations, cache: new CatsProviderCache(factory.getStore(namespace)), store: factoryOf().getStore(namespace) };
  };
  // One cycle of two agents, as providers write them: the load balancer agent owns its items, the
  // server group agent owns its groups and adds edges alone to the load balancers they sit behind.
  const cycle = async (cache: CatsProviderCache, edges: string[], size = 2) => {
    await cache.putCacheResult('acct/lb', [LB], result({ [LB]: [cacheData('lb:1', { application: 'app', name: 'lb-1' })] }));
    await cache.putCacheResult(
      'acct/sg',
      [SG],
      result({
        [SG]: [cacheData('sg:1', { application: 'app', capacity: { min: 1, max: size } }, { loadBalancers: ['lb:1'] })],
        [LB]: [cacheData('lb:1', {}, { serverGroups: edges })],
      }),
    );
  };

  it('repeating a caching cycle exactly (edges from another agent included) reports nothing changed', async () => {
    const { generations, cache, store } = tracked();
    await cycle(cache, ['sg:1']);
    const before = generations.of('app');
    await cycle(cache, ['sg:1']);
    await cycle(cache, ['sg:1']);
    expect(generations.of('app')).toBe(before);
    expect((await cache.get(LB, 'lb:1'))?.relationships.serverGroups).toEqual(['sg:1']);
    const raw = [cacheData('sg:raw', { application: 'app', v: 1 }, { 'instances:A': ['i:1'] }), cacheData('lb:1', {}, {})];
    expect((await store.mergeAll(SG, raw))?.unchanged.has('sg:raw')).toBe(false);
    expect([...((await store.mergeAll(SG, raw))?.unchanged ?? [])].sort()).toEqual(['lb:1', 'sg:raw']);
  });

  it('a changed attribute or edge list is reported changed, and every agent rewrites only what moved', async () => {
    const { generations, cache } = tracked();
    await cycle(cache, ['sg:1']);
    let before = generations.of('app');
    await cycle(cache, ['sg:1'], 3);
    expect(generations.of('app')).not.toBe(before);
    expect((await cache.get(SG, 'sg:1'))?.attributes.capacity).toEqual({ min: 1, max: 3 });
    before = generations.of('app');
    await cycle(cache, ['sg:1', 'sg:2'], 3);
    expect(generations.of('app')).not.toBe(before);
    expect((await cache.get(LB, 'lb:1'))?.relationships.serverGroups).toEqual(['sg:1', 'sg:2']);
    // After the edges moved, the load balancer agent's own unchanged write still changes nothing.
    before = generations.of('app');
    await cycle(cache, ['sg:1', 'sg:2'], 3);
    expect(generations.of('app')).toBe(before);
    expect((await cache.get(LB, 'lb:1'))?.attributes).toEqual({ application: 'app', name: 'lb-1' });
  });

  it('a merge repeating what an eviction or a clearing removed is a change, and the item is back', async () => {
    const { store } = tracked();
    const sg = cacheData('sg:1', { application: 'app', v: 1 }, { 'instances:A': ['i:1'] });
    await store.mergeAll(SG, [sg]);
    await store.evictAll(SG, ['sg:1']);
    expect((await store.mergeAll(SG, [sg]))?.unchanged.has('sg:1')).not.toBe(true);
    expect((await store.getAll(SG, ['sg:1'])).map((d) => d.relationships)).toEqual([{ 'instances:A': ['i:1'] }]);
    await store.mergeAll(SG, [cacheData('sg:1', { v: null })]);
    expect(await store.getAll(SG, ['sg:1'])).toEqual([]);
    expect((await store.mergeAll(SG, [sg]))?.unchanged.has('sg:1')).not.toBe(true);
    expect((await store.getAll(SG, ['sg:1'])).map((d) => d.attributes)).toEqual([{ application: 'app', v: 1 }]);
    const edges = cacheData('lb:1', {}, { 'serverGroups:B': ['sg:1'] });
    await store.mergeAll(LB, [edges]);
    await store.evictAll(LB, ['lb:1']);
    expect((await store.mergeAll(LB, [edges]))?.unchanged.has('lb:1')).not.toBe(true);
  });
}
