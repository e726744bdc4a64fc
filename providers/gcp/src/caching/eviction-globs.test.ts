import type { FakeGceServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGceHost, startFakeGce } from '../test-support/gce-fixture.js';

let server: FakeGceServer;
let host: ProviderTestHost;

beforeAll(async () => {
  server = await startFakeGce();
  ({ host } = await createGceHost(server));
});
afterAll(async () => {
  await server?.close();
});

// These globs decide what each run evicts: the four agents that took the kit's regional default
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
