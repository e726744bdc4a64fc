import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
import { storeAgentRun, storeOnDemandRefresh } from '@stratus/provider-kit';
import type { AzureAccountRegistry } from '../accounts/azure-account-registry.js';
import type { AzureCachingAgent } from '../caching/azure-agent.js';
import type { AzureServerGroupCachingAgent } from '../caching/server-group-caching-agent.js';

/**
 * Refreshes what an operation changed, so the read API shows it when the task completes: a server
 * group through the on-demand path (a partial result, siblings untouched), anything else by running
 * the owning caching agent of that account and region once.
 */
export class AzureCacheRefresher {
  constructor(
    private readonly accounts: AzureAccountRegistry,
    private readonly cache: ProviderCache,
  ) {}

  /** Tells the named agents of `<account>/<region>` that an operation changed what they cache. */
  markChanged(account: string, region: string, ...agentNames: string[]): void {
    for (const name of agentNames) this.accounts.agent<AzureCachingAgent>(account, region, name)?.markChanged();
  }

  async serverGroup(account: string, region: string, serverGroupName: string): Promise<void> {
    this.markChanged(account, region, 'AzureServerGroupCachingAgent');
    const agent = this.accounts.agent<AzureServerGroupCachingAgent>(account, region, 'AzureServerGroupCachingAgent');
    if (agent) await storeOnDemandRefresh(this.cache, agent, { account, region, serverGroupName });
  }

  /** Runs `<account>/<region>/<agentName>` once and stores its full result, plus explicit evictions of `deleted` ids. */
  async agent(account: string, region: string, agentName: string, deleted: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, region, agentName);
    if (!agent) return;
    (agent as Partial<AzureCachingAgent>).markChanged?.();
    await storeAgentRun(this.cache, agent, deleted);
  }
}

/**
 * After an operation that may change load balancer routing: the region's load balancers, then all
 * of its server groups (whether a group is disabled is read from the rules, and one change can move
 * traffic between sibling groups), so reads are right when the task completes.
 */
export async function refreshRegion(deps: { readonly refresher: AzureCacheRefresher }, account: string, region: string): Promise<void> {
  // Both first: a scheduled server group run reading the load balancers now must read again.
  deps.refresher.markChanged(account, region, 'AzureLoadBalancerCachingAgent', 'AzureServerGroupCachingAgent');
  await deps.refresher.agent(account, region, 'AzureLoadBalancerCachingAgent');
  await deps.refresher.agent(account, region, 'AzureServerGroupCachingAgent');
}
