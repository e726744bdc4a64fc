import { randomUUID } from 'node:crypto';
import { authoritative, cacheData, type CacheData, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';
import { CachingAgentExecution, CatsProviderCache, CompositeCache, InvalidCacheTypeError, type CacheStoreFactory } from '@stratus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCacheStoreChangeContract } from './cache-store-change-contract.js';

/** What a store adapter hands the contract suite. */
export interface CacheStoreFixture {
  readonly factory: CacheStoreFactory;
  /** Drops whatever the fixture created (keys, schemas, files) and closes connections. */
  cleanup(): Promise<void>;
}

const SG = 'serverGroups';
const INST = 'instances';
const CLUSTERS = 'clusters';

const item = (id: string, attributes: Record<string, unknown> = { name: id }, relationships: Record<string, string[]> = {}, ttl = -1): CacheData =>
  cacheData(id, attributes, relationships, ttl);

const result = (cacheResults: Record<string, CacheData[]>, extra: Partial<CacheResult> = {}): CacheResult => ({ cacheResults, ...extra });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The cache-store contract: every rule of the CATS write protocol and of the store interface, run
 * against one {@link CacheStoreFactory}. Memory, Redis, SQL (every dialect) run it unchanged. Each
 * test writes into its own fresh namespace.
 */
export function runCacheStoreContract(name: string, create: () => Promise<CacheStoreFixture>): void {
  describe(`cache store contract: ${name}`, () => {
    let fixture: CacheStoreFixture;
    beforeAll(async () => {
      fixture = await create();
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    runCacheStoreChangeContract(() => fixture.factory);

    const fresh = (options: { supportsFullEviction?: boolean } = {}): CatsProviderCache =>
      new CatsProviderCache(fixture.factory.getStore(`contract-${randomUUID().slice(0, 8)}`), options);
    const ids = async (cache: ProviderCache, type: string) => (await cache.getIdentifiers(type)).sort();

    it('authoritative types evict what the same agent wrote before and not now', async () => {
      const cache = fresh();
      await cache.putCacheResult('acct/r1/A', [SG], result({ [SG]: [item('sg:a'), item('sg:b')] }));
      expect(await ids(cache, SG)).toEqual(['sg:a', 'sg:b']);
      const stats = await cache.putCacheResult('acct/r1/A', [SG], result({ [SG]: [item('sg:a')] }));
      expect(await ids(cache, SG)).toEqual(['sg:a']);
      expect(stats.itemsEvicted).toBe(1);
      expect(await cache.get(SG, 'sg:b')).toBeUndefined();
    });

    it('informative types never evict', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a')], [CLUSTERS]: [item('c:x'), item('c:y')] }));
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a')], [CLUSTERS]: [item('c:x')] }));
      expect(await ids(cache, CLUSTERS)).toEqual(['c:x', 'c:y']);
    });

    it('authority is per source agent: an agent only evicts what it wrote', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a')] }));
      await cache.putCacheResult('B', [SG], result({ [SG]: [item('sg:b')] }));
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:c')] }));
      expect(await ids(cache, SG)).toEqual(['sg:b', 'sg:c']);
    });

    it('two agents contribute relationships to one item; reads union them', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { name: 'one' }, { instances: ['i:1'] })] }));
      await cache.putCacheResult('B', [INST], result({ [SG]: [item('sg:1', {}, { instances: ['i:2'] })] }));
      let read = await cache.get(SG, 'sg:1');
      expect(read?.attributes).toEqual({ name: 'one' });
      expect([...read!.relationships.instances!].sort()).toEqual(['i:1', 'i:2']);
      // A's next run replaces only A's edges.
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { name: 'one' }, { instances: ['i:3'] })] }));
      read = await cache.get(SG, 'sg:1');
      expect([...read!.relationships.instances!].sort()).toEqual(['i:2', 'i:3']);
    });

    it('attributes are last-writer-wins for the whole map and null values are dropped', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { a: 1, b: 2 })] }));
      await cache.putCacheResult('B', [], result({ [SG]: [item('sg:1', { b: 3, c: null })] }));
      expect((await cache.get(SG, 'sg:1'))?.attributes).toEqual({ b: 3 });
    });

    it('a merge with empty attributes leaves stored attributes untouched', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { keep: true })] }));
      await cache.putCacheResult('B', [], result({ [SG]: [item('sg:1', {}, { loadBalancers: ['lb:1'] })] }));
      const read = await cache.get(SG, 'sg:1');
      expect(read?.attributes).toEqual({ keep: true });
      expect(read?.relationships.loadBalancers).toEqual(['lb:1']);
    });

    it('partial results never evict, and their ids join the agent set for its next full run', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a'), item('sg:b')] }));
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:c')] }, { partialResult: true }));
      expect(await ids(cache, SG)).toEqual(['sg:a', 'sg:b', 'sg:c']);
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a')] }));
      expect(await ids(cache, SG)).toEqual(['sg:a']);
    });

    it('explicit evictions are honoured, on any type and whoever wrote the item', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:a'), item('sg:b')], [CLUSTERS]: [item('c:x')] }));
      await cache.putCacheResult('B', [], result({}, { evictions: { [SG]: ['sg:b'], [CLUSTERS]: ['c:x'] } }));
      expect(await ids(cache, SG)).toEqual(['sg:a']);
      expect(await ids(cache, CLUSTERS)).toEqual([]);
      // Explicit evictions also apply to partial results.
      await cache.addCacheResult('A', [SG], result({}, { evictions: { [SG]: ['sg:a'] } }));
      expect(await ids(cache, SG)).toEqual([]);
    });

    it('evicting removes the whole item, every agent relationship included', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { v: 1 }, { instances: ['i:1'] })] }));
      await cache.putCacheResult('B', [], result({ [SG]: [item('sg:1', {}, { instances: ['i:2'] })] }));
      await cache.evictDeletedItems(SG, ['sg:1']);
      expect(await cache.get(SG, 'sg:1')).toBeUndefined();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { v: 2 })] }));
      expect((await cache.get(SG, 'sg:1'))?.relationships.instances ?? []).toEqual([]);
    });

    it('key-pattern eviction removes matching ids not in the result, whoever wrote them', async () => {
      const cache = fresh();
      await cache.putCacheResult(
        'legacy',
        [SG],
        result({ [SG]: [item('aws:serverGroups:app:prod:us-east-1:old'), item('aws:serverGroups:app:prod:eu-west-1:other')] }),
      );
      const agent: CachingAgent = {
        agentType: 'prod/us-east-1/Cluster',
        providerName: 'aws',
        providedDataTypes: [authoritative(SG)],
        loadData: async () => result({ [SG]: [item('aws:serverGroups:app:prod:us-east-1:new')] }),
        cacheKeyPatterns: () => ({ [SG]: 'aws:serverGroups:*:prod:us-east-1:*' }),
      };
      await new CachingAgentExecution(agent, cache).execute({ signal: new AbortController().signal, guardedWrite: (write) => write() });
      expect(await ids(cache, SG)).toEqual(['aws:serverGroups:app:prod:eu-west-1:other', 'aws:serverGroups:app:prod:us-east-1:new']);
    });

    it('an authoritative result with zero items does not wipe the type unless the namespace opts in', async () => {
      const guarded = fresh();
      await guarded.putCacheResult('A', [SG], result({ [SG]: [item('sg:a'), item('sg:b')] }));
      await guarded.putCacheResult('A', [SG], result({ [SG]: [] }));
      expect(await ids(guarded, SG)).toEqual(['sg:a', 'sg:b']);

      const optedIn = fresh({ supportsFullEviction: true });
      await optedIn.putCacheResult('A', [SG], result({ [SG]: [item('sg:a'), item('sg:b')] }));
      await optedIn.putCacheResult('A', [SG], result({ [SG]: [] }));
      expect(await ids(optedIn, SG)).toEqual([]);
    });

    it('an on-demand refresh of one resource never evicts its siblings', async () => {
      const cache = fresh();
      const agent = 'prod/us-east-1/Cluster';
      await cache.putCacheResult(agent, [SG], result({ [SG]: [item('sg:1', { v: 1 }), item('sg:2', { v: 1 })] }));
      // On-demand results are stored as partial results of the owning agent.
      await cache.addCacheResult(agent, [SG], result({ [SG]: [item('sg:1', { v: 2 })] }));
      await cache.addCacheResult(agent, [SG], result({ [SG]: [item('sg:3', { v: 1 })] }));
      expect(await ids(cache, SG)).toEqual(['sg:1', 'sg:2', 'sg:3']);
      expect((await cache.get(SG, 'sg:1'))?.attributes).toEqual({ v: 2 });
      // A resource found gone on demand is evicted explicitly, without touching the rest.
      await cache.addCacheResult(agent, [SG], result({}, { evictions: { [SG]: ['sg:2'] } }));
      expect(await ids(cache, SG)).toEqual(['sg:1', 'sg:3']);
    });

    it('items with a TTL expire, and cacheExpiry survives a read-and-rewrite', async () => {
      const cache = fresh();
      await cache.putCacheData('onDemand', item('od:1', { cacheTime: 1 }, {}, 1));
      await cache.putCacheData('onDemand', item('od:keep', { cacheTime: 1 }));
      const read = await cache.get('onDemand', 'od:1');
      expect(typeof read?.attributes.cacheExpiry).toBe('number');
      // Rewrite what was read with no TTL: the absolute expiry still applies.
      await cache.putCacheData('onDemand', cacheData(read!.id, { ...read!.attributes, processedCount: 1 }, {}, -1));
      expect((await cache.get('onDemand', 'od:1'))?.attributes.processedCount).toBe(1);
      await sleep(1300);
      expect(await cache.get('onDemand', 'od:1')).toBeUndefined();
      expect(await ids(cache, 'onDemand')).toEqual(['od:keep']);
      expect(await cache.existingIdentifiers('onDemand', ['od:1', 'od:keep'])).toEqual(['od:keep']);
    });

    it('ids without attribute data are invisible to every read', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [], result({ [INST]: [item('i:edge-only', {}, { serverGroups: ['sg:1'] })] }));
      await cache.putCacheResult('A', [], result({ [INST]: [item('i:real')] }));
      expect(await cache.get(INST, 'i:edge-only')).toBeUndefined();
      expect((await cache.getAll(INST)).map((d) => d.id)).toEqual(['i:real']);
      expect(await cache.getAllByIds(INST, ['i:edge-only', 'i:real', 'i:missing'])).toHaveLength(1);
      expect(await ids(cache, INST)).toEqual(['i:real']);
      expect(await cache.existingIdentifiers(INST, ['i:edge-only', 'i:real'])).toEqual(['i:real']);
      expect(await cache.filterIdentifiers(INST, 'i:*')).toEqual(['i:real']);
    });

    it('filterIdentifiers understands *, ? and [...] and treats other characters literally', async () => {
      const cache = fresh();
      const all = ['aws:sg:app-v001:prod', 'aws:sg:app-v002:prod', 'aws:sg:app-v010:test', 'aws:sg:a.p+p(1):prod', 'aws:sg:axpp:prod', 'aws:sg:50%_off:prod'];
      await cache.putCacheResult('A', ['sg'], result({ sg: all.map((id) => item(id)) }));
      const f = async (glob: string) => (await cache.filterIdentifiers('sg', glob)).sort();
      expect(await f('aws:sg:*:prod')).toEqual([
        'aws:sg:50%_off:prod',
        'aws:sg:a.p+p(1):prod',
        'aws:sg:app-v001:prod',
        'aws:sg:app-v002:prod',
        'aws:sg:axpp:prod',
      ]);
      expect(await f('aws:sg:app-v00?:*')).toEqual(['aws:sg:app-v001:prod', 'aws:sg:app-v002:prod']);
      expect(await f('aws:sg:app-v0[01]0:*')).toEqual(['aws:sg:app-v010:test']);
      expect(await f('aws:sg:app-v00[2-9]:*')).toEqual(['aws:sg:app-v002:prod']);
      expect(await f('aws:sg:a.p+p(1):*')).toEqual(['aws:sg:a.p+p(1):prod']);
      expect(await f('aws:sg:50%_off:*')).toEqual(['aws:sg:50%_off:prod']);
      expect(await f('aws:sg:5_%*')).toEqual([]);
      expect(await f('aws:sg:app-v001:prod')).toEqual(['aws:sg:app-v001:prod']);
    });

    it('relationship filters keep only relationships with the given prefixes', async () => {
      const cache = fresh();
      await cache.putCacheResult(
        'A',
        [SG],
        result({ [SG]: [item('sg:1', { n: 1 }, { instances: ['i:1'], loadBalancers: ['lb:1'], launchConfigs: ['lc:1'] })] }),
      );
      const only = await cache.get(SG, 'sg:1', { relationshipPrefixes: ['instances', 'launch'] });
      expect(Object.keys(only!.relationships).sort()).toEqual(['instances', 'launchConfigs']);
      const none = await cache.getAll(SG, { relationshipPrefixes: [] });
      expect(none[0]!.relationships).toEqual({});
      expect(none[0]!.attributes).toEqual({ n: 1 });
      const all = await cache.getAllByIds(SG, ['sg:1']);
      expect(Object.keys(all[0]!.relationships).sort()).toEqual(['instances', 'launchConfigs', 'loadBalancers']);
    });

    it('bookkeeping records are invisible to reads', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG, INST], result({ [SG]: [item('sg:1')], [INST]: [item('i:1')] }));
      expect(await ids(cache, SG)).toEqual(['sg:1']);
      expect(await cache.filterIdentifiers(SG, '*')).toEqual(['sg:1']);
      expect((await cache.getAll(SG)).map((d) => d.id)).toEqual(['sg:1']);
      expect(await cache.existingIdentifiers(SG, ['_ALL_', 'A'])).toEqual([]);
    });

    it('type names containing ":" are rejected with a clear error and nothing is written', async () => {
      const cache = fresh();
      await expect(cache.putCacheResult('A', ['bad:type'], result({ 'bad:type': [item('x')] }))).rejects.toThrow(InvalidCacheTypeError);
      await expect(cache.putCacheData('bad:type', item('x'))).rejects.toThrow(/must not contain ':'/);
      await expect(cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1')], 'bad:type': [] }))).rejects.toThrow(InvalidCacheTypeError);
      expect(await ids(cache, SG)).toEqual([]);
    });

    it('duplicate ids in one result are stored once, the last one winning', async () => {
      const cache = fresh();
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { v: 1 }), item('sg:1', { v: 2 })] }));
      expect((await cache.getAll(SG)).map((d) => d.attributes)).toEqual([{ v: 2 }]);
    });

    it('round-trips nested attribute values and large batches', async () => {
      const cache = fresh();
      const nested = { name: 'x', capacity: { min: 1, max: 3 }, tags: [{ key: 'k', value: 'ü ✓' }], enabled: false, zero: 0 };
      const many = Array.from({ length: 2500 }, (_, i) => item(`sg:${String(i).padStart(5, '0')}`, { ...nested, i }, { instances: [`i:${i}`] }));
      await cache.putCacheResult('A', [SG], result({ [SG]: many }));
      expect(await cache.getIdentifiers(SG)).toHaveLength(2500);
      const some = await cache.getAllByIds(SG, ['sg:00007', 'sg:02499']);
      expect(some.map((d) => d.attributes.i as number).sort((a, b) => a - b)).toEqual([7, 2499]);
      expect(some.find((d) => d.id === 'sg:00007')!.attributes).toEqual({ ...nested, i: 7 });
      expect(some.find((d) => d.id === 'sg:00007')!.relationships.instances).toEqual(['i:7']);
      // Many read batches (stores read ahead and in parallel): every item once, each with its own data.
      const all = await cache.getAllByIds(
        SG,
        many.map((d) => d.id),
      );
      expect(all).toHaveLength(2500);
      expect(new Set(all.map((d) => d.id)).size).toBe(2500);
      expect(
        all.every((d) => d.id === `sg:${String(d.attributes.i).padStart(5, '0')}` && d.relationships.instances![0] === `i:${String(d.attributes.i)}`),
      ).toBe(true);
      await cache.putCacheResult('A', [SG], result({ [SG]: many.slice(0, 10) }));
      expect(await cache.getIdentifiers(SG)).toHaveLength(10);
    });

    it('getAllByApplication returns the visible items of one application, from attributes or moniker, case-insensitively', async () => {
      const cache = fresh();
      await cache.putCacheResult(
        'A',
        [SG],
        result({
          [SG]: [
            item('sg:a1', { application: 'Orders', n: 1 }, { instances: ['i:1'] }),
            item('sg:a2', { moniker: { app: 'orders', cluster: 'orders-main' } }),
            item('sg:b1', { application: 'billing' }),
            item('sg:none', { name: 'no application' }),
          ],
        }),
      );
      await cache.putCacheResult('B', [SG], result({ [SG]: [item('sg:a1', {}, { loadBalancers: ['lb:1'] })] }));
      const orders = await cache.getAllByApplication(SG, 'ORDERS');
      expect(orders.map((d) => d.id).sort()).toEqual(['sg:a1', 'sg:a2']);
      const a1 = orders.find((d) => d.id === 'sg:a1')!;
      expect(a1.attributes).toEqual({ application: 'Orders', n: 1 });
      expect(a1.relationships).toEqual({ instances: ['i:1'], loadBalancers: ['lb:1'] });
      const bare = await cache.getAllByApplication(SG, 'orders', { relationshipPrefixes: [] });
      expect(bare.find((d) => d.id === 'sg:a1')!.relationships).toEqual({});
      expect((await cache.getAllByApplication(SG, 'billing')).map((d) => d.id)).toEqual(['sg:b1']);
      expect(await cache.getAllByApplication(SG, 'nobody')).toEqual([]);
      expect(await cache.getAllByApplication(INST, 'orders')).toEqual([]);
    });

    it('the application index follows evictions, moves between applications, cleared attributes and TTLs', async () => {
      const cache = fresh();
      await cache.putCacheResult(
        'A',
        [SG],
        result({ [SG]: [item('sg:1', { application: 'one' }), item('sg:2', { application: 'one' }), item('sg:3', { application: 'one' })] }),
      );
      // Full result without sg:2 evicts it; sg:3 moves to another application.
      await cache.putCacheResult('A', [SG], result({ [SG]: [item('sg:1', { application: 'one' }), item('sg:3', { application: 'two' })] }));
      expect((await cache.getAllByApplication(SG, 'one')).map((d) => d.id)).toEqual(['sg:1']);
      expect((await cache.getAllByApplication(SG, 'two')).map((d) => d.id)).toEqual(['sg:3']);
      await cache.evictDeletedItems(SG, ['sg:3']);
      expect(await cache.getAllByApplication(SG, 'two')).toEqual([]);
      // Re-created after eviction: found again.
      await cache.putCacheData(SG, item('sg:3', { application: 'two', again: true }));
      expect((await cache.getAllByApplication(SG, 'two')).map((d) => d.attributes.again)).toEqual([true]);
      // Attributes cleared (all null): invisible.
      await cache.putCacheData(SG, item('sg:3', { application: null }));
      expect(await cache.getAllByApplication(SG, 'two')).toEqual([]);
      // TTL items disappear when they expire.
      await cache.putCacheData('onDemand', item('od:1', { application: 'one' }, {}, 1));
      expect((await cache.getAllByApplication('onDemand', 'one')).map((d) => d.id)).toEqual(['od:1']);
      await sleep(1300);
      expect(await cache.getAllByApplication('onDemand', 'one')).toEqual([]);
    });

    it('the composite view reads the application index of every provider', async () => {
      const aws = fresh();
      const k8s = fresh();
      await aws.putCacheResult('A', [], result({ [SG]: [item('sg:x', { application: 'app', a: 1 })] }));
      await k8s.putCacheResult('B', [], result({ [SG]: [item('sg:y', { application: 'app' })] }));
      const composite = new CompositeCache(() => [aws, k8s]);
      expect((await composite.getAllByApplication(SG, 'app')).map((d) => d.id).sort()).toEqual(['sg:x', 'sg:y']);
    });

    it('the composite view merges one id across providers', async () => {
      const aws = fresh();
      const k8s = fresh();
      await aws.putCacheResult('A', [], result({ applications: [item('app:x', { name: 'x', a: 1 }, { clusters: ['c:1'] })] }));
      await k8s.putCacheResult('B', [], result({ applications: [item('app:x', { name: 'x', b: 2 }, { clusters: ['c:2'] })] }));
      const composite = new CompositeCache(() => [aws, k8s]);
      const merged = await composite.get('applications', 'app:x');
      expect(merged?.attributes).toEqual({ name: 'x', a: 1, b: 2 });
      expect([...merged!.relationships.clusters!].sort()).toEqual(['c:1', 'c:2']);
      expect(await composite.getIdentifiers('applications')).toEqual(['app:x']);
    });
  });
}
