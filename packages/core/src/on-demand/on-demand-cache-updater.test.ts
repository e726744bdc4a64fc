import {
  ON_DEMAND_TYPE,
  cacheData,
  onDemandRecord,
  silentLogger,
  toPendingOnDemandRequest,
  type CacheData,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { CatsProviderCache } from '../cats/cats-provider-cache.js';
import { MemoryCacheStore } from '../cats/memory-cache-store.js';
import { NOOP_METRICS } from '../metrics/metrics-registry.js';
import type { AgentLock, AgentScheduler } from '../scheduler/agent-scheduler.js';
import { SingleNodeScheduler } from '../scheduler/single-node-scheduler.js';
import { OnDemandCacheUpdater } from './on-demand-cache-updater.js';
import { OnDemandRecordCleanupAgent } from './on-demand-record-cleanup-agent.js';

const AGENT_TYPE = 'prod/r1/ClusterCachingAgent';
const keyOf = (name: string) => `test:serverGroups:${name.split('-v')[0]}:prod:r1:${name}`;

/** A fake cloud of server groups and an on-demand agent in the style of Clouddriver's ClusterCachingAgent. */
class FakeClusterAgent implements OnDemandAgent {
  readonly agentType = AGENT_TYPE;
  readonly onDemandAgentType = `${AGENT_TYPE}-OnDemand`;
  readonly providerName = 'test';
  readonly cloud = new Map<string, number>();
  failWith?: Error;

  handles(type: string, cloudProvider: string): boolean {
    return type.toLowerCase() === 'servergroup' && cloudProvider === 'test';
  }

  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    if (this.failWith) throw this.failWith;
    if (data.account !== 'prod') return undefined;
    const name = String(data.serverGroupName);
    const key = keyOf(name);
    const capacity = this.cloud.get(name);
    if (capacity === undefined) {
      await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [key]);
      return { sourceAgentType: this.agentType, authoritativeTypes: ['serverGroups'], cacheResult: { cacheResults: {}, evictions: { serverGroups: [key] } } };
    }
    const cacheResults = { serverGroups: [cacheData(key, { name, capacity })] };
    await providerCache.putCacheData(ON_DEMAND_TYPE, onDemandRecord({ key, cacheResults }));
    return { sourceAgentType: this.agentType, authoritativeTypes: ['serverGroups'], cacheResult: { cacheResults } };
  }

  async pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return (await providerCache.getAll(ON_DEMAND_TYPE)).map((record) => toPendingOnDemandRequest(record));
  }
}

/** An atomic scheduler whose lock can be held by "another node" or lost mid-refresh. */
class FakeAtomicScheduler extends SingleNodeScheduler implements AgentScheduler {
  readonly atomic = true;
  held = new Set<string>();
  loseLockDuringHandle = false;
  releases = 0;

  async tryLock(agentType: string): Promise<AgentLock | undefined> {
    if (this.held.has(agentType)) return undefined;
    this.held.add(agentType);
    return { agentType, token: 'x' };
  }
  async lockValid(lock: AgentLock): Promise<boolean> {
    return !this.loseLockDuringHandle && this.held.has(lock.agentType);
  }
  async tryRelease(lock: AgentLock): Promise<boolean> {
    this.releases++;
    return this.held.delete(lock.agentType);
  }
}

function setup(scheduler: AgentScheduler = new SingleNodeScheduler()) {
  const providerCache = new CatsProviderCache(new MemoryCacheStore('test'));
  const agent = new FakeClusterAgent();
  const updater = new OnDemandCacheUpdater({ onDemandAgents: () => [{ agent, providerCache }] }, scheduler, silentLogger, NOOP_METRICS);
  return { providerCache, agent, updater };
}

describe('OnDemandCacheUpdater (non-atomic scheduler)', () => {
  it('answers PENDING with the cached ids, and the data is readable at once', async () => {
    const { providerCache, agent, updater } = setup();
    agent.cloud.set('app-v001', 3);
    const result = await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' });
    expect(result).toEqual({ status: 'PENDING', cachedIdentifiersByType: { serverGroups: [keyOf('app-v001')] } });
    expect((await providerCache.get('serverGroups', keyOf('app-v001')))?.attributes).toMatchObject({ capacity: 3 });
    const pending = await updater.pendingOnDemandRequests('serverGroup', 'test');
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ id: keyOf('app-v001'), processedCount: 0 });
    expect(pending[0]!.cacheExpiry).toBeGreaterThan(pending[0]!.cacheTime);
    expect(await updater.pendingOnDemandRequests('serverGroup', 'test', 'other')).toEqual([]);
  });

  it('stores the refresh as a partial result: siblings of the same agent survive', async () => {
    const { providerCache, agent, updater } = setup();
    const sibling = cacheData(keyOf('app-v000'), { name: 'app-v000', capacity: 1 });
    await providerCache.putCacheResult(AGENT_TYPE, ['serverGroups'], { cacheResults: { serverGroups: [sibling] } });
    agent.cloud.set('app-v001', 2);
    await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' });
    expect((await providerCache.getIdentifiers('serverGroups')).sort()).toEqual([keyOf('app-v000'), keyOf('app-v001')]);
    // the next full run of the owning agent still evicts what it no longer finds
    await providerCache.putCacheResult(AGENT_TYPE, ['serverGroups'], { cacheResults: { serverGroups: [sibling] } });
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([keyOf('app-v000')]);
  });

  it('answers SUCCESSFUL and evicts when the resource is gone', async () => {
    const { providerCache, agent, updater } = setup();
    await providerCache.putCacheResult(AGENT_TYPE, ['serverGroups'], { cacheResults: { serverGroups: [cacheData(keyOf('app-v001'), { n: 1 })] } });
    const result = await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' });
    expect(result).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: {} });
    expect(agent.cloud.size).toBe(0);
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([]);
  });

  it('answers SUCCESSFUL with nothing when no agent handles the request or it is not theirs', async () => {
    const { updater, providerCache, agent } = setup();
    agent.cloud.set('app-v001', 2);
    expect(updater.handles('LoadBalancer', 'test')).toBe(false);
    expect(await updater.handle('LoadBalancer', 'test', {})).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: {} });
    expect(await updater.handle('ServerGroup', 'test', { account: 'staging', serverGroupName: 'app-v001' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([]);
  });

  it('does not fail the request when an agent throws', async () => {
    const { updater, agent } = setup();
    agent.failWith = new Error('cloud down');
    expect(await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'x-v001' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
  });
});

describe('OnDemandCacheUpdater (atomic scheduler)', () => {
  it('answers SUCCESSFUL when locked and applied, and releases the lock', async () => {
    const scheduler = new FakeAtomicScheduler();
    const { updater, agent, providerCache } = setup(scheduler);
    agent.cloud.set('app-v001', 4);
    const result = await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' });
    expect(result).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: { serverGroups: [keyOf('app-v001')] } });
    expect(scheduler.held.size).toBe(0);
    expect((await providerCache.get('serverGroups', keyOf('app-v001')))?.attributes.capacity).toBe(4);
    expect(await updater.pendingOnDemandRequests('ServerGroup', 'test')).toEqual([]);
  });

  it('answers PENDING without writing when the agent is locked elsewhere or the lock is lost', async () => {
    const scheduler = new FakeAtomicScheduler();
    const { updater, agent, providerCache } = setup(scheduler);
    agent.cloud.set('app-v001', 4);
    scheduler.held.add(AGENT_TYPE);
    expect((await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' })).status).toBe('PENDING');
    scheduler.held.clear();
    scheduler.loseLockDuringHandle = true;
    expect((await updater.handle('ServerGroup', 'test', { account: 'prod', serverGroupName: 'app-v001' })).status).toBe('PENDING');
    expect(await providerCache.getIdentifiers('serverGroups')).toEqual([]);
    expect(scheduler.held.size).toBe(0);
  });
});

describe('OnDemandRecordCleanupAgent', () => {
  it('removes stale and dangling records and keeps fresh ones', async () => {
    let now = 1_000_000;
    const providerCache = new CatsProviderCache(new MemoryCacheStore('cleanup'), {}, () => now);
    const agent = new FakeClusterAgent();
    const record = (name: string, cacheTime: number, processedCount: number): CacheData => {
      const base = onDemandRecord({ key: keyOf(name), cacheResults: { serverGroups: [cacheData(keyOf(name), { name })] }, now: cacheTime, ttlSeconds: -1 });
      return { ...base, attributes: { ...base.attributes, processedCount } };
    };
    await providerCache.putCacheResult(AGENT_TYPE, ['serverGroups'], {
      cacheResults: { serverGroups: [cacheData(keyOf('live-v001'), { n: 1 }), cacheData(keyOf('fresh-v001'), { n: 1 })] },
    });
    await providerCache.putCacheData(ON_DEMAND_TYPE, record('stale-v001', now - 31 * 60_000, 0));
    await providerCache.putCacheData(ON_DEMAND_TYPE, record('gone-v001', now - 60_000, 1));
    await providerCache.putCacheData(ON_DEMAND_TYPE, record('live-v001', now - 60_000, 1));
    await providerCache.putCacheData(ON_DEMAND_TYPE, record('fresh-v001', now - 60_000, 0));
    const cleanup = new OnDemandRecordCleanupAgent(
      {
        onDemandAgents: () => [
          { agent, providerCache },
          { agent, providerCache },
        ],
      },
      { now: () => now },
    );
    await cleanup.run({ signal: new AbortController().signal });
    expect((await providerCache.getIdentifiers(ON_DEMAND_TYPE)).sort()).toEqual([keyOf('fresh-v001'), keyOf('live-v001')]);
    now += 30 * 60_000;
    expect((await cleanup.clean(providerCache)).sort()).toEqual([keyOf('fresh-v001'), keyOf('live-v001')]);
  });
});
