import { authoritative, type Agent, type CacheResult, type CachingAgent, type OnDemandAgent, type ProviderCache } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { readConsistently } from './consistent-reads.js';
import { RegionalCacheRefresher, type RegionalCacheRefresherSpec } from './regional-cache-refresher.js';

/** A cache recording what the refresher stores and answering id globs from a fixed list. */
function recordingCache(ids: readonly string[]) {
  const stored: { source: string; types: string[]; result: CacheResult; partial: boolean }[] = [];
  const cache = {
    filterIdentifiers: async (_type: string, glob: string) => ids.filter((id) => new RegExp(`^${glob.replace(/\*/g, '.*')}$`).test(id)),
    putCacheResult: async (source: string, types: string[], result: CacheResult) => void stored.push({ source, types, result, partial: false }),
    addCacheResult: async (source: string, types: string[], result: CacheResult) => void stored.push({ source, types, result, partial: true }),
  } as unknown as ProviderCache;
  return { cache, stored };
}

function fixture(spec: Partial<RegionalCacheRefresherSpec> = {}) {
  const signals: AbortSignal[] = [];
  const agents: Agent[] = [];
  const loadBalancers: CachingAgent = {
    providerName: 'test',
    agentType: 'prod/east/LoadBalancerAgent',
    providedDataTypes: [authoritative('loadBalancers')],
    loadData: async (_cache, context) => (signals.push(context.signal), { cacheResults: {} }),
  };
  const serverGroups: OnDemandAgent = {
    providerName: 'test',
    agentType: 'prod/east/ServerGroupAgent',
    onDemandAgentType: 'prod/east/ServerGroupAgent-OnDemand',
    handles: () => true,
    handle: async (_cache, data) => ({
      sourceAgentType: 'prod/east/ServerGroupAgent',
      authoritativeTypes: ['serverGroups'],
      cacheResult: { cacheResults: { seen: [] }, evictions: { asked: [String(data.serverGroupName)] } },
    }),
    pendingOnDemandRequests: async () => [],
  };
  agents.push(loadBalancers, serverGroups);
  const accounts = {
    agent: <T extends Agent>(account: string, region: string, name: string) =>
      agents.find((a) => a.agentType === `${account}/${region}/${name}`) as T | undefined,
  };
  const { cache, stored } = recordingCache(['lb:prod:east:a', 'lb:prod:east:b', 'lb:prod:west:c']);
  const refresher = new RegionalCacheRefresher(accounts, cache, { serverGroupAgent: 'ServerGroupAgent', ...spec });
  return { refresher, stored, signals, loadBalancers, serverGroups };
}

/** How many reads a consistent read of `agent` makes when `during` runs inside its first read. */
async function readsWhile(agent: object, during: () => Promise<void>): Promise<number> {
  let reads = 0;
  await readConsistently(agent, async () => {
    reads++;
    if (reads === 1) await during();
  });
  return reads;
}

describe('RegionalCacheRefresher', () => {
  it("runs the named agent of the account and region and stores its result with the operation's deletions", async () => {
    const { refresher, stored } = fixture();
    await refresher.agent('prod', 'east', 'LoadBalancerAgent', { loadBalancers: ['lb:prod:east:*', 'lb:prod:east:a'] });
    expect(stored).toEqual([
      {
        source: 'prod/east/LoadBalancerAgent',
        types: ['loadBalancers'],
        result: { cacheResults: {}, evictions: { loadBalancers: ['lb:prod:east:*', 'lb:prod:east:a'] } },
        partial: false,
      },
    ]);
  });

  it('expands deleted globs over the cached ids when the cloud asks for it', async () => {
    const { refresher, stored } = fixture({ expandGlobs: true });
    await refresher.agent('prod', 'east', 'LoadBalancerAgent', { loadBalancers: ['lb:prod:east:*'] });
    expect(stored[0]!.result.evictions).toEqual({ loadBalancers: ['lb:prod:east:a', 'lb:prod:east:b'] });
  });

  it("hands the agent the operation's current signal, else a fresh one", async () => {
    const operation = new AbortController();
    const tracked = fixture({ currentSignal: () => operation.signal });
    await tracked.refresher.agent('prod', 'east', 'LoadBalancerAgent');
    expect(tracked.signals[0]).toBe(operation.signal);
    const untracked = fixture();
    await untracked.refresher.agent('prod', 'east', 'LoadBalancerAgent');
    expect(untracked.signals[0]).not.toBe(operation.signal);
    expect(untracked.signals[0]!.aborted).toBe(false);
  });

  it('refreshes a server group through its agent on demand, as a partial result', async () => {
    const { refresher, stored } = fixture();
    await refresher.serverGroup('prod', 'east', 'app-v001');
    expect(stored).toEqual([
      {
        source: 'prod/east/ServerGroupAgent',
        types: ['serverGroups'],
        result: { cacheResults: { seen: [] }, evictions: { asked: ['app-v001'] } },
        partial: true,
      },
    ]);
  });

  it('marks each refreshed agent changed, so a run of it in flight reads again', async () => {
    const { refresher, loadBalancers, serverGroups } = fixture();
    expect(await readsWhile(loadBalancers, async () => {})).toBe(1);
    expect(await readsWhile(loadBalancers, () => refresher.agent('prod', 'east', 'LoadBalancerAgent'))).toBe(2);
    expect(await readsWhile(serverGroups, () => refresher.serverGroup('prod', 'east', 'app-v001'))).toBe(2);
    expect(await readsWhile(loadBalancers, async () => refresher.markChanged('prod', 'east', 'LoadBalancerAgent', 'NoSuchAgent'))).toBe(2);
  });

  it('does nothing for an account, region or agent it does not have', async () => {
    const { refresher, stored } = fixture();
    await refresher.agent('prod', 'west', 'LoadBalancerAgent');
    await refresher.agent('test', 'east', 'LoadBalancerAgent');
    await refresher.serverGroup('prod', 'west', 'app-v001');
    expect(stored).toEqual([]);
  });
});
