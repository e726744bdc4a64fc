import { cacheData, type CacheData } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { loadBalancerServerGroupEntry, loadBalancerView } from './load-balancer-view-fields.js';

const item = (attributes: Record<string, unknown>): CacheData => cacheData('k', attributes);

describe('loadBalancerView', () => {
  it('keeps the cached attributes, sets the common fields and the moniker, then the cloud’s own fields', () => {
    const view = loadBalancerView({
      cloudProvider: 'azure',
      attributes: { name: 'app-web-lb', account: 'prod', region: 'eastus', sku: 'Standard', vnet: 'stale' },
      name: 'app-web-lb',
      own: { vnet: 'vnet-1' },
      serverGroups: [{ name: 'app-web-v001' }],
    });
    expect(view).toEqual({
      name: 'app-web-lb',
      type: 'azure',
      cloudProvider: 'azure',
      account: 'prod',
      region: 'eastus',
      sku: 'Standard',
      vnet: 'vnet-1',
      moniker: { app: 'app', stack: 'web', detail: 'lb', cluster: 'app-web-lb' },
      serverGroups: [{ name: 'app-web-v001' }],
      labels: {},
    });
  });

  it('names the view by `name`, not by a cached name attribute (AWS caches `loadBalancerName`)', () => {
    const view = loadBalancerView({
      cloudProvider: 'aws',
      attributes: { loadBalancerName: 'lb', account: 'a', region: 'r' },
      name: 'lb',
      own: {},
      serverGroups: [],
    });
    expect(view.name).toBe('lb');
    expect(view.type).toBe('aws');
    expect(view.loadBalancerName).toBe('lb');
  });
});

describe('loadBalancerServerGroupEntry', () => {
  it('names the group, its disabled state and the given instances, with no detached instances', () => {
    const instances = [{ id: 'i-1', health: { state: 'InService' } }];
    const entry = loadBalancerServerGroupEntry('gce', item({ name: 'app-v001', account: 'acct', region: 'us-central1', disabled: true, other: 1 }), instances);
    expect(entry).toEqual({
      name: 'app-v001',
      account: 'acct',
      region: 'us-central1',
      isDisabled: true,
      cloudProvider: 'gce',
      instances,
      detachedInstances: [],
    });
  });
});
