import type { Cache, CacheData } from '@stratus/plugin-api';
import { CacheClusterReadModel, loadBalancersByEdges, standardClusterKeySpec } from '@stratus/provider-kit';
import { AZURE, Keys, parseKey, Types } from '../keys.js';
import type { AzureLoadBalancerReadModel } from './azure-load-balancer-read-model.js';
import { serverGroupView } from './views.js';

/** Applications and clusters from the cache, in Clouddriver's azure shapes (the kit's read model). */
export class AzureClusterReadModel extends CacheClusterReadModel {
  constructor(cache: Cache, loadBalancers: AzureLoadBalancerReadModel) {
    super(cache, {
      ...standardClusterKeySpec(AZURE, Keys, parseKey),
      serverGroupViews: (items, preloaded) => serverGroupViewsWithInstances(preloaded, items),
      loadBalancersOf: loadBalancersByEdges((keys) => loadBalancers.byKeys(keys)),
    });
  }
}

/** Full server group views, loading their instances in one bulk read. */
async function serverGroupViewsWithInstances(cache: Cache, items: readonly CacheData[]) {
  const ids = [...new Set(items.flatMap((i) => i.relationships[Types.instances] ?? []))];
  const instances = new Map((await cache.getAllByIds(Types.instances, ids, { relationshipPrefixes: [] })).map((i) => [i.id, i]));
  return items.map((item) =>
    serverGroupView(
      item,
      (item.relationships[Types.instances] ?? []).map((id) => instances.get(id)).filter((i): i is CacheData => !!i && i.attributes.name !== undefined),
    ),
  );
}
