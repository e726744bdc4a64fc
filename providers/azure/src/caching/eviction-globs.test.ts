import type { CachingAgent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureClientFactory } from '../accounts/azure-clients.js';
import { agentsForAccount } from './agents-for-account.js';

const REGION = 'eastus';

// Building an agent reads only the account's name and regions; no client is called.
const account = { name: 'prod', regions: [{ name: REGION }] } as unknown as AzureAccount;
const agents = agentsForAccount(account, {} as AzureClientFactory) as CachingAgent[];

// These globs decide what each run evicts: the agents that took the kit's regional default
// (`RegionalCachingAgent.regionalKeyPatterns`) must keep the strings they spelled out before.
describe('eviction globs', () => {
  it('every agent of an account evicts by the same globs as before the kit derived the regional ones', () => {
    const patterns = Object.fromEntries(agents.map((a) => [a.agentType, a.cacheKeyPatterns?.()]));
    expect(patterns).toEqual({
      [`prod/${REGION}/AzureLoadBalancerCachingAgent`]: { loadBalancers: `azure:loadBalancers:prod:${REGION}:*` },
      [`prod/${REGION}/AzureCustomImageCachingAgent`]: { images: `azure:images:prod:${REGION}:*` },
      [`prod/${REGION}/AzureServerGroupCachingAgent`]: {
        serverGroups: `azure:serverGroups:*:prod:${REGION}:*`,
        instances: `azure:instances:prod:${REGION}:*`,
      },
      [`prod/${REGION}/AzureSecurityGroupCachingAgent`]: { securityGroups: `azure:securityGroups:*:*:${REGION}:prod` },
      [`prod/${REGION}/AzureNetworkCachingAgent`]: {
        networks: `azure:networks:*:*:prod:${REGION}`,
        subnets: `azure:subnets:*:*:prod:${REGION}`,
      },
    });
  });
});
