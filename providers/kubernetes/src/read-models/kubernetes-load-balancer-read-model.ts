import type { CacheData, LoadBalancerReadModel, LoadBalancerView, ProviderCache } from '@stratus/plugin-api';
import { infrastructureKey } from '../kubernetes-keys.js';
import { LOAD_BALANCER_TYPES, loadBalancerView, SERVER_GROUP_TYPES, serverGroupView, splitDisplayName } from './kubernetes-views.js';

/** Services and Ingresses as load balancers, with the server groups they route to. */
export class KubernetesLoadBalancerReadModel implements LoadBalancerReadModel {
  constructor(private readonly cache: ProviderCache) {}

  async getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]> {
    const items = (await Promise.all(LOAD_BALANCER_TYPES.map((t) => this.cache.getAll(t)))).flat();
    return Promise.all(items.filter((item) => item.attributes.application === application).map((item) => this.view(item)));
  }

  async list(): Promise<LoadBalancerView[]> {
    const items = (await Promise.all(LOAD_BALANCER_TYPES.map((t) => this.cache.getAll(t)))).flat();
    return Promise.all(items.map((item) => this.view(item)));
  }

  async getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]> {
    const { type, name: plain } = splitDisplayName(name, 'service');
    if (!LOAD_BALANCER_TYPES.includes(type)) return [];
    const item = await this.cache.get(type, infrastructureKey(type, account, region, plain));
    return item ? [await this.view(item)] : [];
  }

  private async view(item: CacheData): Promise<LoadBalancerView> {
    const serverGroupItems = (await Promise.all(SERVER_GROUP_TYPES.map((t) => this.cache.getAllByIds(t, item.relationships[t] ?? [])))).flat();
    const serverGroups = await Promise.all(serverGroupItems.map((sg) => serverGroupView(this.cache, sg)));
    return loadBalancerView(item, serverGroups);
  }
}
