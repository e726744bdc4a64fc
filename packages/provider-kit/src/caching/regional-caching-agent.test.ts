import { authoritative, informative, type CacheResult } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { RegionalCachingAgent } from './regional-caching-agent.js';

/** An agent that evicts by the kit's regional globs, as the GCE and Azure base agents do. */
class LoadBalancerAgent extends RegionalCachingAgent<{ name: string }> {
  readonly providerName = 'azure';
  readonly providedDataTypes = [authoritative('loadBalancers'), authoritative('images'), informative('instances')];

  constructor(region: string) {
    super({ account: { name: 'prod' }, region }, 'LoadBalancerAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return this.regionalKeyPatterns();
  }

  loadData(): Promise<CacheResult> {
    return Promise.resolve({ cacheResults: {} });
  }
}

describe('RegionalCachingAgent', () => {
  it('names its agent type <account>/<region>/<Name>', () => {
    expect(new LoadBalancerAgent('eastus').agentType).toBe('prod/eastus/LoadBalancerAgent');
  });

  it('derives <provider>:<type>:<account>:<region>:* for each authoritative type only (these globs decide evictions)', () => {
    expect(new LoadBalancerAgent('eastus').cacheKeyPatterns()).toEqual({
      loadBalancers: 'azure:loadBalancers:prod:eastus:*',
      images: 'azure:images:prod:eastus:*',
    });
    expect(new LoadBalancerAgent('global').cacheKeyPatterns()).toEqual({
      loadBalancers: 'azure:loadBalancers:prod:global:*',
      images: 'azure:images:prod:global:*',
    });
  });
});
