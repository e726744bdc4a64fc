import type { Cache, CacheData, LoadBalancerView } from '@stratus/plugin-api';
import { CacheLoadBalancerReadModel, loadBalancerServerGroupEntry, loadBalancerView, loadRelated, relatedItems } from '@stratus/provider-kit';
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
    const sgs = await loadRelated(this.cache, items, Types.serverGroups);
    const byBackendService = await this.serverGroupsByBackendService(items);
    return items
      .filter((lb) => typeof lb.attributes.name === 'string')
      .map((lb) => {
        const a = lb.attributes;
        const inPool = new Set((a.instanceNames as string[]) ?? []);
        const services = new Set((a.backendServiceNames as string[]) ?? []);
        const entry = (sg: CacheData, inService: (instance: string) => boolean) =>
          loadBalancerServerGroupEntry(
            GCE,
            sg,
            ((sg.attributes.instanceNames as string[]) ?? []).map((id) => ({
              id,
              zone: sg.attributes.zone,
              health: { type: 'LoadBalancer', state: inService(id) ? 'InService' : 'OutOfService' },
            })),
          );
        const serverGroups =
          a.loadBalancerType === 'HTTP'
            ? [...new Set([...services].flatMap((bs) => byBackendService.get(`${a.account}/${bs}`) ?? []))].map((sg) => {
                const serving = ((sg.attributes.servingBackendServices as string[]) ?? []).some((bs) => services.has(bs));
                return entry(sg, () => serving);
              })
            : relatedItems(lb, Types.serverGroups, sgs).map((sg) => entry(sg, (id) => inPool.has(id)));
        return loadBalancerView({ cloudProvider: GCE, attributes: a, name: a.name as string, own: { loadBalancerType: a.loadBalancerType }, serverGroups });
      });
  }
}
