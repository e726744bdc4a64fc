import type { FakeAzureServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureHost, REGION, startFakeAzure } from '../test-support/azure-fixture.js';

let server: FakeAzureServer;
let host: ProviderTestHost;

beforeAll(async () => {
  server = await startFakeAzure();
  ({ host } = await createAzureHost(server));
});
afterAll(async () => {
  await server?.close();
});

// These globs decide what each run evicts: the agents that took the kit's regional default
// (`RegionalCachingAgent.regionalKeyPatterns`) must keep the strings they spelled out before.
describe('eviction globs', () => {
  it('every agent of an account evicts by the same globs as before the kit derived the regional ones', () => {
    const patterns = Object.fromEntries(
      host
        .cachingAgents()
        .filter((a) => a.agentType.startsWith('prod/'))
        .map((a) => [a.agentType, a.cacheKeyPatterns?.()]),
    );
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
