import type { Cache, CacheData } from '@stratus/plugin-api';
import { CacheClusterReadModel, loadRelated, relatedItems, standardClusterSpec } from '@stratus/provider-kit';
import { AZURE, Keys, parseKey, Types } from '../keys.js';
import type { AzureLoadBalancerReadModel } from './azure-load-balancer-read-model.js';
import { serverGroupView } from './views.js';

/** Applications and clusters from the cache, in Clouddriver's azure shapes (the kit's read model). */
export class AzureClusterReadModel extends CacheClusterReadModel {
  constructor(cache: Cache, loadBalancers: AzureLoadBalancerReadModel) {
    super(
      cache,
      standardClusterSpec(AZURE, Keys, parseKey, (items, preloaded) => serverGroupViewsWithInstances(preloaded, items), loadBalancers),
    );
  }
}

/** Full server group views, loading their instances in one bulk read. */
async function serverGroupViewsWithInstances(cache: Cache, items: readonly CacheData[]) {
  const instances = await loadRelated(cache, items, Types.instances);
  return items.map((item) =>
    serverGroupView(
      item,
      relatedItems(item, Types.instances, instances).filter((i) => i.attributes.name !== undefined),
    ),
  );
}
