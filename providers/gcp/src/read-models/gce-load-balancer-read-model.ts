import type { Cache, CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { CacheLoadBalancerReadModel } from '@stratus/provider-kit';
import { monikerOf } from '@stratus/plugin-api';
import { GCE, Keys, Types } from '../keys.js';

/**
 * Network (regional forwarding rule → target pool) and HTTP(S) (global forwarding rule → proxy → URL
 * map → backend services) load balancers in Clouddriver's `GoogleLoadBalancerView` shape, with the
 * server groups behind them.
 */
export class GceLoadBalancerReadModel extends CacheLoadBalancerReadModel {
  constructor(cache: Cache) {
    super(cache, GCE, (account, region, name) => Keys.loadBalancer(account, region, name));
  }

  /**
   * `<account>/<backend service>` → server groups that serve it now or name it in their template
   * (disabled ones included), for the HTTP load balancers among `items`.
   */
  private async serverGroupsByBackendService(items: readonly CacheData[]): Promise<Map<string, CacheData[]>> {
    const accounts = [...new Set(items.filter((lb) => lb.attributes.loadBalancerType === 'HTTP').map((lb) => lb.attributes.account as string))];
    const out = new Map<string, CacheData[]>();
    for (const account of accounts) {
      const ids = await this.cache.filterIdentifiers(Types.serverGroups, `gce:serverGroups:*:${account}:*`);
      for (const sg of await this.cache.getAllByIds(Types.serverGroups, ids, { relationshipPrefixes: [] })) {
        const names = new Set([...((sg.attributes.servingBackendServices as string[]) ?? []), ...((sg.attributes.backendServiceNames as string[]) ?? [])]);
        for (const bs of names) out.set(`${account}/${bs}`, [...(out.get(`${account}/${bs}`) ?? []), sg]);
      }
    }
    return out;
  }

  protected async views(items: readonly CacheData[]): Promise<LoadBalancerView[]> {
    const sgKeys = [...new Set(items.flatMap((lb) => lb.relationships[Types.serverGroups] ?? []))];
    const sgs = new Map((await this.cache.getAllByIds(Types.serverGroups, sgKeys, { relationshipPrefixes: [] })).map((sg) => [sg.id, sg]));
    const byBackendService = await this.serverGroupsByBackendService(items);
    return items
      .filter((lb) => typeof lb.attributes.name === 'string')
      .map((lb) => {
        const a = lb.attributes;
        const inPool = new Set((a.instanceNames as string[]) ?? []);
        const services = new Set((a.backendServiceNames as string[]) ?? []);
        const entry = (sg: CacheData, inService: (instance: string) => boolean) => ({
          name: sg.attributes.name,
          account: sg.attributes.account,
          region: sg.attributes.region,
          isDisabled: sg.attributes.disabled,
          cloudProvider: GCE,
          instances: ((sg.attributes.instanceNames as string[]) ?? []).map((id) => ({
            id,
            zone: sg.attributes.zone,
            health: { type: 'LoadBalancer', state: inService(id) ? 'InService' : 'OutOfService' },
          })),
          detachedInstances: [],
        });
        const serverGroups =
          a.loadBalancerType === 'HTTP'
            ? [...new Set([...services].flatMap((bs) => byBackendService.get(`${a.account}/${bs}`) ?? []))].map((sg) => {
                const serving = ((sg.attributes.servingBackendServices as string[]) ?? []).some((bs) => services.has(bs));
                return entry(sg, () => serving);
              })
            : (lb.relationships[Types.serverGroups] ?? [])
                .map((k) => sgs.get(k))
                .filter((x): x is CacheData => !!x)
                .map((sg) => entry(sg, (id) => inPool.has(id)));
        const name = a.name as string;
        return {
          ...a,
          name,
          type: GCE,
          cloudProvider: GCE,
          account: a.account as string,
          region: a.region as string,
          loadBalancerType: a.loadBalancerType,
          moniker: monikerOf(name) as LoadBalancerView['moniker'],
          serverGroups,
          labels: {},
        };
      });
  }
}
