import type { Cache, CacheData } from '@stratus/plugin-api';
import { CacheClusterReadModel, standardClusterSpec } from '@stratus/provider-kit';
import { GCE, Keys, parseKey, Types } from '../keys.js';
import type { GceLoadBalancerReadModel } from './gce-load-balancer-read-model.js';
import { serverGroupViews } from './views.js';

/** Applications and clusters from the cache, in Clouddriver's google shapes (the kit's read model). */
export class GceClusterReadModel extends CacheClusterReadModel {
  constructor(cache: Cache, loadBalancers: GceLoadBalancerReadModel) {
    super(
      cache,
      standardClusterSpec(GCE, Keys, parseKey, (items, preloaded) => serverGroupViews(preloaded, items), loadBalancers),
    );
  }

  /** A regional group by its exact key, else a zonal one (`…:<name>:<zone>`). */
  override async findServerGroup(account: string, region: string, name: string): Promise<CacheData | undefined> {
    const regional = await super.findServerGroup(account, region, name);
    if (regional) return regional;
    const zonal = await this.cache.filterIdentifiers(Types.serverGroups, `${Keys.serverGroup(account, region, name)}:*`);
    return zonal.length > 0 ? this.cache.get(Types.serverGroups, zonal[0]!) : undefined;
  }
}
