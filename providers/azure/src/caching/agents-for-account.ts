import type { Agent } from '@stratus/plugin-api';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureClientFactory } from '../accounts/azure-clients.js';
import { AzureImageCachingAgent } from './image-caching-agent.js';
import { AzureLoadBalancerCachingAgent } from './load-balancer-caching-agent.js';
import { AzureNetworkCachingAgent } from './network-caching-agent.js';
import { AzureSecurityGroupCachingAgent } from './security-group-caching-agent.js';
import { AzureServerGroupCachingAgent } from './server-group-caching-agent.js';

/** Every caching agent of one account: one set per region (Azure resources are regional). */
export function agentsForAccount(account: AzureAccount, clients: AzureClientFactory, intervalMs?: number): Agent[] {
  return account.regions.flatMap(({ name: region }) => {
    const options = { account, clients, region, ...(intervalMs !== undefined ? { intervalMs } : {}) };
    return [
      new AzureServerGroupCachingAgent(options),
      new AzureLoadBalancerCachingAgent(options),
      new AzureSecurityGroupCachingAgent(options),
      new AzureNetworkCachingAgent(options),
      new AzureImageCachingAgent(options),
    ];
  });
}
