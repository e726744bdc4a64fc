import type { CachingAgent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceClientFactory } from '../accounts/gce-clients.js';
import { agentsForAccount } from './agents-for-account.js';

// Building an agent reads only the account's name and regions; no client is called.
const account = { name: 'prod', regions: [{ name: 'us-central1' }] } as unknown as GceAccount;
const agents = agentsForAccount(account, {} as GceClientFactory) as CachingAgent[];

// These globs decide what each run evicts: the agents that took the kit's regional default
// (`RegionalCachingAgent.regionalKeyPatterns`) must keep the strings they spelled out before.
describe('eviction globs', () => {
  it('every agent of an account evicts by the same globs as before the kit derived the regional ones', () => {
    const patterns = Object.fromEntries(agents.map((a) => [a.agentType, a.cacheKeyPatterns?.()]));
    expect(patterns).toEqual({
      'prod/global/GoogleInstanceCachingAgent': { instances: 'gce:instances:prod:*' },
      'prod/global/GoogleSecurityGroupCachingAgent': { securityGroups: 'gce:securityGroups:*:*:global:prod' },
      'prod/global/GoogleNetworkCachingAgent': { networks: 'gce:networks:*:prod:global' },
      'prod/global/GoogleImageCachingAgent': { images: 'gce:images:prod:*' },
      'prod/global/GoogleBackendServiceCachingAgent': { backendServices: 'gce:backendServices:prod:*' },
      'prod/global/GoogleHttpLoadBalancerCachingAgent': { loadBalancers: 'gce:loadBalancers:prod:global:*' },
      'prod/global/GoogleSslCertificateCachingAgent': { sslCertificates: 'gce:sslCertificates:prod:*' },
      'prod/us-central1/GoogleServerGroupCachingAgent': { serverGroups: 'gce:serverGroups:*:prod:us-central1:*' },
      'prod/us-central1/GoogleNetworkLoadBalancerCachingAgent': { loadBalancers: 'gce:loadBalancers:prod:us-central1:*' },
      'prod/us-central1/GoogleSubnetCachingAgent': { subnets: 'gce:subnets:*:prod:us-central1' },
    });
  });
});
