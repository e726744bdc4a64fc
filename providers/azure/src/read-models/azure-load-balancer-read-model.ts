import type { Cache, CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { CacheLoadBalancerReadModel, loadBalancerServerGroupEntry, loadBalancerView, loadRelated, relatedItems } from '@stratus/provider-kit';
import { AZURE, Keys, Types } from '../keys.js';

/** Azure load balancers and application gateways in Clouddriver's `AzureLoadBalancer` view shape, with the server groups behind them. */
export class AzureLoadBalancerReadModel extends CacheLoadBalancerReadModel {
  constructor(cache: Cache) {
    super(cache, AZURE, (account, region, name) => Keys.loadBalancer(account, region, name));
  }

  protected async views(items: readonly CacheData[]): Promise<LoadBalancerView[]> {
    const sgs = await loadRelated(this.cache, items, Types.serverGroups);
    return items
      .filter((lb) => typeof lb.attributes.name === 'string')
      .map((lb) => {
        const serverGroups = relatedItems(lb, Types.serverGroups, sgs)
          .filter((sg) => sg.attributes.name !== undefined)
          .map((sg) => {
            const state = sg.attributes.disabled ? 'OutOfService' : 'InService';
            const instances = ((sg.attributes.instanceNames as string[]) ?? []).map((id) => ({
              id,
              zone: sg.attributes.region,
              health: { type: 'LoadBalancer', state },
            }));
            return loadBalancerServerGroupEntry(AZURE, sg, instances);
          });
        const a = lb.attributes;
        return loadBalancerView({ cloudProvider: AZURE, attributes: a, name: a.name as string, own: { vnet: a.vnet }, serverGroups });
      });
  }
}
