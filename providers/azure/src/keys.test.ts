import { describe, expect, it } from 'vitest';
import { azureKeyParser, Keys, parseKey } from './keys.js';

describe('Azure cache keys', () => {
  it('round-trips every key type through the parser', () => {
    expect(parseKey(Keys.application('Shop'))).toEqual({ provider: 'azure', type: 'applications', application: 'shop', name: 'shop' });
    expect(parseKey(Keys.cluster('prod', 'shop', 'shop-web-blue'))).toEqual({
      provider: 'azure',
      type: 'clusters',
      account: 'prod',
      application: 'shop',
      cluster: 'shop-web-blue',
      name: 'shop-web-blue',
      stack: 'web',
      detail: 'blue',
    });
    expect(parseKey(Keys.serverGroup('prod', 'eastus', 'shop-web-v012'))).toEqual({
      provider: 'azure',
      type: 'serverGroups',
      application: 'shop',
      cluster: 'shop-web',
      account: 'prod',
      region: 'eastus',
      serverGroup: 'shop-web-v012',
      name: 'shop-web-v012',
      stack: 'web',
      sequence: '12',
    });
    expect(parseKey(Keys.instance('prod', 'eastus', 'shop-web-v012_3'))).toEqual({
      provider: 'azure',
      type: 'instances',
      account: 'prod',
      region: 'eastus',
      name: 'shop-web-v012_3',
      instanceId: 'shop-web-v012_3',
    });
    expect(parseKey(Keys.loadBalancer('prod', 'eastus', 'shop-lb'))).toMatchObject({
      type: 'loadBalancers',
      loadBalancer: 'shop-lb',
      application: 'shop',
      stack: 'lb',
    });
    expect(parseKey(Keys.securityGroup('shop-nsg', 'rg-1', 'eastus', 'prod'))).toEqual({
      provider: 'azure',
      type: 'securityGroups',
      application: 'shop',
      name: 'shop-nsg',
      id: 'shop-nsg',
      resourceGroup: 'rg-1',
      region: 'eastus',
      account: 'prod',
    });
    expect(parseKey(Keys.network('vnet', 'rg-1', 'prod', 'eastus'))).toMatchObject({ type: 'networks', name: 'vnet', resourceGroup: 'rg-1' });
    expect(parseKey(Keys.subnet('web', 'vnet', 'prod', 'eastus'))).toMatchObject({ type: 'subnets', name: 'web', network: 'vnet' });
  });

  it('refuses keys of other providers, unknown types and wrong shapes', () => {
    expect(parseKey('aws:serverGroups:a:b:c:d')).toBeUndefined();
    expect(parseKey('azure:widgets:x')).toBeUndefined();
    expect(parseKey('azure:serverGroups:too:short')).toBeUndefined();
    expect(azureKeyParser.cloudProvider).toBe('azure');
    expect(azureKeyParser.searchableTypes).toContain('serverGroups');
  });
});
