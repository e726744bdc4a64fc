import { cacheData, type LoadBalancerView, type ServerGroupView } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { standardKeys } from '../keys/standard-keys.js';
import { standardClusterSpec } from './cache-cluster-read-model.js';

describe('standardClusterSpec', () => {
  const asked: (readonly string[])[] = [];
  const loadBalancers = {
    byKeys: async (keys: readonly string[]): Promise<LoadBalancerView[]> => {
      asked.push(keys);
      return keys.map((key) => ({ name: key, type: 'acme', cloudProvider: 'acme', account: 'prod', serverGroups: [] }));
    },
  };
  const views = async () => [] as ServerGroupView[];
  const parseKey = () => ({ account: 'prod', cluster: 'shop-web' });
  const spec = standardClusterSpec('acme', standardKeys('acme'), parseKey, views, loadBalancers);

  it('names the keys in the standard layout, with the given parser and server group views', () => {
    expect(spec.cloudProvider).toBe('acme');
    expect(spec.applicationKey('Shop')).toBe('acme:applications:shop');
    expect(spec.clusterKey('shop', 'prod', 'shop-web')).toBe('acme:clusters:prod:shop:shop-web');
    expect(spec.clusterGlob('Shop')).toBe('acme:clusters:*:shop:*');
    expect(spec.serverGroupKey('prod', 'r1', 'shop-web-v001')).toBe('acme:serverGroups:shop-web:prod:r1:shop-web-v001');
    expect(spec.parseKey).toBe(parseKey);
    expect(spec.serverGroupViews).toBe(views);
  });

  it('reads the load balancers of the groups by their edges, once, and none when no group has one', async () => {
    const groups = [cacheData('sg:1', {}, { loadBalancers: ['lb:1', 'lb:2'] }), cacheData('sg:2', {}, { loadBalancers: ['lb:1'] })];
    expect((await spec.loadBalancersOf(groups)).map((lb) => lb.name)).toEqual(['lb:1', 'lb:2']);
    expect(await spec.loadBalancersOf([cacheData('sg:3', {})])).toEqual([]);
    expect(asked).toEqual([['lb:1', 'lb:2']]);
  });
});
