import type { ProviderCache } from '@stratus/plugin-api';
import { RegionalCacheRefresher } from '@stratus/provider-kit';
import type { AzureAccountRegistry } from '../accounts/azure-account-registry.js';

/** The kit's refresher with Azure's server group agent. */
export class AzureCacheRefresher extends RegionalCacheRefresher {
  constructor(accounts: AzureAccountRegistry, cache: ProviderCache) {
    super(accounts, cache, { serverGroupAgent: 'AzureServerGroupCachingAgent' });
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
