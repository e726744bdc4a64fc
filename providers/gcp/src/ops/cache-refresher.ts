import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
import { storeAgentRun, storeOnDemandRefresh } from '@stratus/provider-kit';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';
import type { GceServerGroupCachingAgent } from '../caching/server-group-caching-agent.js';

/**
 * Refreshes what an operation changed, so the read API shows it when the task completes: a server
 * group through the on-demand path (a partial result, siblings untouched), anything else by running
 * the owning caching agent of that account and region (or `global`) once.
 */
export class GceCacheRefresher {
  constructor(
    private readonly accounts: GceAccountRegistry,
    private readonly cache: ProviderCache,
  ) {}

  async serverGroup(account: string, region: string, serverGroupName: string): Promise<void> {
    const agent = this.accounts.agent<GceServerGroupCachingAgent>(account, region, 'GoogleServerGroupCachingAgent');
    if (agent) await storeOnDemandRefresh(this.cache, agent, { account, region, serverGroupName });
  }

  /** Runs `<account>/<regionOrGlobal>/<agentName>` once and stores its full result, plus explicit evictions of `deleted` ids. */
  async agent(account: string, regionOrGlobal: string, agentName: string, deleted: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, regionOrGlobal, agentName);
    if (agent) await storeAgentRun(this.cache, agent, deleted);
  }
}
