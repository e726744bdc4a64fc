import { cacheData, type Cache, type CacheData, type ServerGroupView } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { splitKey } from '../keys/key-fields.js';
import { standardKeys } from '../keys/standard-keys.js';
import { CacheClusterReadModel, loadBalancersByEdges, standardClusterKeySpec } from './cache-cluster-read-model.js';

/** A small Cache over a map, with globs as the real stores read them (`*` any run). */
function mapCache(items: Record<string, CacheData[]>): Cache {
  const of = (type: string) => items[type] ?? [];
  const glob = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  return {
    get: async (type, id) => of(type).find((i) => i.id === id),
    getAll: async (type) => [...of(type)],
    getAllByIds: async (type, ids) => of(type).filter((i) => ids.includes(i.id)),
    existingIdentifiers: async (type, ids) => ids.filter((id) => of(type).some((i) => i.id === id)),
    getIdentifiers: async (type) => of(type).map((i) => i.id),
    filterIdentifiers: async (type, pattern) =>
      of(type)
        .map((i) => i.id)
        .filter((id) => glob(pattern).test(id)),
  };
}

const keys = standardKeys('acme');
const parseKey = (key: string) => {
  const split = splitKey(key, 'acme');
  if (split?.base.type !== 'clusters') return undefined;
  const [account, application, cluster] = split.parts as [string, string, string];
  return { ...split.base, account, application, cluster };
};

describe('CacheClusterReadModel', () => {
  const sg = cacheData(
    keys.serverGroup('prod', 'r1', 'shop-web-v001'),
    { name: 'shop-web-v001', region: 'r1', account: 'prod' },
    { loadBalancers: ['acme:loadBalancers:prod:r1:shop-lb'] },
  );
  const cache = mapCache({
    applications: [
      cacheData(
        keys.application('shop'),
        { name: 'shop' },
        { clusters: [keys.cluster('prod', 'shop', 'shop-web'), keys.cluster('test', 'shop', 'shop-gone')] },
      ),
    ],
    clusters: [cacheData(keys.cluster('prod', 'shop', 'shop-web'), { name: 'shop-web', accountName: 'prod' }, { serverGroups: [sg.id] })],
    serverGroups: [sg],
  });
  const lbKeysAsked: string[][] = [];
  const model = new CacheClusterReadModel(cache, {
    ...standardClusterKeySpec('acme', keys, parseKey),
    serverGroupViews: async (items) => items.map((i) => ({ name: i.attributes.name, full: true }) as unknown as ServerGroupView),
    loadBalancersOf: loadBalancersByEdges(async (k) => {
      lbKeysAsked.push(k);
      return [{ name: 'shop-lb' } as never];
    }),
  });

  it('lists applications with their live clusters by account, dangling edges skipped', async () => {
    expect(await model.getApplications(true)).toEqual([
      { name: 'shop', attributes: { name: 'shop', cloudProviders: 'acme' }, clusterNames: { prod: ['shop-web'] } },
    ]);
    expect(await model.getClusterNames('SHOP')).toEqual({ prod: ['shop-web'] });
    expect(await model.getApplication('nope')).toBeUndefined();
  });

  it('builds clusters with full or summary server groups and the load balancers their edges name', async () => {
    const [full] = await model.getClusters('shop', true);
    expect(full).toMatchObject({ name: 'shop-web', type: 'acme', accountName: 'prod', application: 'shop', moniker: { app: 'shop', stack: 'web' } });
    expect(full!.serverGroups).toEqual([{ name: 'shop-web-v001', full: true }]);
    expect(full!.loadBalancers).toEqual([{ name: 'shop-lb' }]);
    expect(lbKeysAsked.at(-1)).toEqual(['acme:loadBalancers:prod:r1:shop-lb']);
    const summary = await model.getCluster('shop', 'prod', 'shop-web', false);
    expect(summary!.serverGroups).toEqual([{ name: 'shop-web-v001', region: 'r1', account: 'prod' }]);
    expect(await model.getCluster('shop', 'test', 'shop-gone', true)).toBeUndefined();
  });

  it('finds one server group by account, region and name', async () => {
    expect(await model.getServerGroup('prod', 'r1', 'shop-web-v001')).toEqual({ name: 'shop-web-v001', full: true });
    expect(await model.getServerGroup('prod', 'r2', 'shop-web-v001')).toBeUndefined();
    expect((await model.getApplicationServerGroups('shop')).map((g) => g.name)).toEqual(['shop-web-v001']);
  });
});
