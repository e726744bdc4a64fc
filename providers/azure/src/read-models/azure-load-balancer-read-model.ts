import type { Cache, CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { CacheLoadBalancerReadModel } from '@stratus/provider-kit';
import { monikerOf } from '@stratus/plugin-api';
import { AZURE, Keys, Types } from '../keys.js';

/** Azure load balancers and application gateways in Clouddriver's `AzureLoadBalancer` view shape, with the server groups behind them. */
export class AzureLoadBalancerReadModel extends CacheLoadBalancerReadModel {
  constructor(cache: Cache) {
    super(cache, AZURE, (account, region, name) => Keys.loadBalancer(account, region, name));
  }

  protected async views(items: readonly CacheData[]): Promise<LoadBalancerView[]> {
    const sgKeys = [...new Set(items.flatMap((lb) => lb.relationships[Types.serverGroups] ?? []))];
    const sgs = new Map((await this.cache.getAllByIds(Types.serverGroups, sgKeys, { relationshipPrefixes: [] })).map((sg) => [sg.id, sg]));
    return items
      .filter((lb) => typeof lb.attributes.name === 'string')
      .map((lb) => {
        const a = lb.attributes;
        const serverGroups = (lb.relationships[Types.serverGroups] ?? [])
          .map((k) => sgs.get(k))
          .filter((x): x is CacheData => !!x && x.attributes.name !== undefined)
          .map((sg) => ({
            name: sg.attributes.name,
            account: sg.attributes.account,
            region: sg.attributes.region,
            isDisabled: sg.attributes.disabled,
            cloudProvider: AZURE,
            instances: ((sg.attributes.instanceNames as string[]) ?? []).map((id) => ({
              id,
              zone: sg.attributes.region,
              health: { type: 'LoadBalancer', state: sg.attributes.disabled ? 'OutOfService' : 'InService' },
            })),
            detachedInstances: [],
          }));
        const name = a.name as string;
        return {
          ...a,
          name,
          type: AZURE,
          cloudProvider: AZURE,
          account: a.account as string,
          region: a.region as string,
          vnet: a.vnet,
          moniker: monikerOf(name) as LoadBalancerView['moniker'],
          serverGroups,
          labels: {},
        };
      });
  }
}
