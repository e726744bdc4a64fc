import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
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
    if (!agent) return;
    const result = await agent.handle(this.cache, { account, region, serverGroupName });
    if (result) await this.cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
  }

  /** Runs `<account>/<region>/<agentName>` once and stores its full result, plus explicit evictions of `deleted` ids. */
  async agent(account: string, region: string, agentName: string, deleted: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, region, agentName);
    if (!agent) return;
    (agent as Partial<AzureCachingAgent>).markChanged?.();
    const result = await agent.loadData(this.cache, { signal: new AbortController().signal });
    const evictions: Record<string, string[]> = {};
    for (const [type, ids] of Object.entries(result.evictions ?? {})) evictions[type] = [...ids];
    for (const [type, ids] of Object.entries(deleted)) (evictions[type] ??= []).push(...ids);
    const authoritative = agent.providedDataTypes.filter((t) => t.authority === 'AUTHORITATIVE').map((t) => t.typeName);
    await this.cache.putCacheResult(agent.agentType, authoritative, { ...result, evictions });
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
