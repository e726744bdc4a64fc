import {
  ON_DEMAND_TYPE,
  applyUsableRecords,
  authoritative,
  cacheData,
  informative,
  loadOnDemandRecords,
  onDemandRecord,
  reconcileOnDemandRecords,
  silentLogger,
  toPendingOnDemandRequest,
  type CacheData,
  type CacheResult,
  type CachingAgent,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { CachingAgentExecution } from '../cats/caching-agent-execution.js';
import { CatsProviderCache } from '../cats/cats-provider-cache.js';
import { MemoryCacheStore } from '../cats/memory-cache-store.js';
import { NOOP_METRICS } from '../metrics/metrics-registry.js';
import { SingleNodeScheduler } from '../scheduler/single-node-scheduler.js';
import { OnDemandCacheUpdater } from './on-demand-cache-updater.js';

const GLOB = 'test:serverGroups:*:prod:r1:*';
const keyOf = (name: string) => `test:serverGroups:app:prod:r1:${name}`;

/**
 * A cluster agent written the way the on-demand record utility documents it, over a fake cloud whose
 * describe can be frozen to simulate a scheduled run that read the cloud before an on-demand refresh.
 */
class ClusterAgent implements CachingAgent, OnDemandAgent {
  readonly agentType = 'prod/r1/ClusterAgent';
  readonly onDemandAgentType = 'prod/r1/ClusterAgent-OnDemand';
  readonly providerName = 'test';
  readonly providedDataTypes = [authoritative('serverGroups'), informative(ON_DEMAND_TYPE)];
  readonly cloud = new Map<string, number>();
  /** A describe taken earlier: the next run uses it (and its time) instead of the live cloud. */
  frozen: { at: number; snapshot: Map<string, number> } | undefined;

  constructor(private readonly clock: { now: number }) {}

  private item(name: string, capacity: number): CacheData {
    return cacheData(keyOf(name), { name, capacity });
  }

  async loadData(providerCache: ProviderCache): Promise<CacheResult> {
    const fetchStartMs = this.frozen?.at ?? this.clock.now;
    const described = this.frozen?.snapshot ?? this.cloud;
    this.frozen = undefined;
    const fresh = [...described].map(([name, capacity]) => this.item(name, capacity));
    const records = await loadOnDemandRecords(providerCache, GLOB);
    const reconciliation = reconcileOnDemandRecords(records, { fetchStartMs, now: this.clock.now, presentKeys: fresh.map((item) => item.id) });
    return {
      cacheResults: {
        serverGroups: applyUsableRecords({ serverGroups: fresh }, reconciliation.usable).serverGroups ?? [],
        [ON_DEMAND_TYPE]: [...reconciliation.toWrite],
      },
      evictions: { [ON_DEMAND_TYPE]: [...reconciliation.evictable] },
    };
  }

  handles(type: string, cloudProvider: string): boolean {
    return type.toLowerCase() === 'servergroup' && cloudProvider === 'test';
  }

  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = String(data.serverGroupName);
    const capacity = this.cloud.get(name);
    if (capacity === undefined) {
      await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [keyOf(name)]);
      return {
        sourceAgentType: this.agentType,
        authoritativeTypes: ['serverGroups'],
        cacheResult: { cacheResults: {}, evictions: { serverGroups: [keyOf(name)] } },
      };
    }
    const cacheResults = { serverGroups: [this.item(name, capacity)] };
    await providerCache.putCacheData(ON_DEMAND_TYPE, onDemandRecord({ key: keyOf(name), cacheResults, now: this.clock.now }));
    return { sourceAgentType: this.agentType, authoritativeTypes: ['serverGroups'], cacheResult: { cacheResults } };
  }

  async pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return (await loadOnDemandRecords(providerCache, GLOB)).map((record) => toPendingOnDemandRequest(record));
  }
}

describe('the two-phase on-demand protocol (updater + record utility + a scheduled run)', () => {
  it('keeps fresher on-demand data over a stale describe, stamps the record, then evicts it', async () => {
    const clock = { now: 1_000_000 };
    const providerCache = new CatsProviderCache(new MemoryCacheStore('protocol', () => clock.now), {}, () => clock.now);
    const agent = new ClusterAgent(clock);
    const updater = new OnDemandCacheUpdater({ onDemandAgents: () => [{ agent, providerCache }] }, new SingleNodeScheduler(), silentLogger, NOOP_METRICS);
    const execution = new CachingAgentExecution(agent, providerCache);
    const run = () => execution.execute({ signal: new AbortController().signal, guardedWrite: (write) => write() });
    const capacityOf = async (name: string) => (await providerCache.get('serverGroups', keyOf(name)))?.attributes.capacity;

    agent.cloud.set('app-v001', 1);
    await run();
    expect(await capacityOf('app-v001')).toBe(1);

    // A scheduled run reads the cloud …
    clock.now += 1_000;
    agent.frozen = { at: clock.now, snapshot: new Map(agent.cloud) };
    // … then a deploy resizes v001, creates v002, and Orca forces a refresh of both.
    clock.now += 500;
    agent.cloud.set('app-v001', 5);
    agent.cloud.set('app-v002', 2);
    const stageStart = clock.now;
    for (const name of ['app-v001', 'app-v002']) {
      const result = await updater.handle('ServerGroup', 'test', { serverGroupName: name });
      expect(result.status).toBe('PENDING');
    }
    expect(await capacityOf('app-v001')).toBe(5);
    expect(await capacityOf('app-v002')).toBe(2);
    expect((await updater.pendingOnDemandRequests('ServerGroup', 'test')).map((r) => [r.id, r.processedCount])).toEqual([
      [keyOf('app-v001'), 0],
      [keyOf('app-v002'), 0],
    ]);

    // The stale run stores its result: the on-demand data wins and the records are stamped processed.
    clock.now += 500;
    await run();
    expect(await capacityOf('app-v001')).toBe(5);
    expect(await capacityOf('app-v002')).toBe(2);
    const pending = await updater.pendingOnDemandRequests('ServerGroup', 'test');
    expect(pending).toHaveLength(2);
    for (const record of pending) {
      expect(record.processedCount).toBe(1);
      // what Orca waits for: processed after, and cached after, the stage started
      expect(record.processedTime).toBeGreaterThanOrEqual(stageStart);
      expect(record.cacheTime).toBeGreaterThanOrEqual(stageStart);
    }

    // The next run's own describe is fresher than the records: they are evicted, the data stays right.
    clock.now += 30_000;
    await run();
    expect(await updater.pendingOnDemandRequests('ServerGroup', 'test')).toEqual([]);
    expect(await capacityOf('app-v001')).toBe(5);
    expect(await capacityOf('app-v002')).toBe(2);

    // Deleting v002 and refreshing it removes it at once and answers 200.
    agent.cloud.delete('app-v002');
    expect(await updater.handle('ServerGroup', 'test', { serverGroupName: 'app-v002' })).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: {} });
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([keyOf('app-v001')]);
  });
});
