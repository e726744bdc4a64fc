import type { Cache, CacheData, LoadBalancerReadModel, LoadBalancerView } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';

/**
 * Load balancers from a provider's cache (`loadBalancers` type). A provider subclasses it with its
 * id and key builder and writes {@link views}: the Clouddriver JSON of cached items, with the
 * server groups behind them.
 */
export abstract class CacheLoadBalancerReadModel implements LoadBalancerReadModel {
  constructor(
    protected readonly cache: Cache,
    private readonly cloudProvider: string,
    private readonly loadBalancerKey: (account: string, region: string, name: string) => string,
  ) {}

  /** An application's load balancers: named after it, or in front of one of its server groups. */
  async getApplicationLoadBalancers(application: string): Promise<LoadBalancerView[]> {
    const app = application.toLowerCase();
    const all = await this.views(await this.cache.getAll('loadBalancers'));
    return all.filter(
      (lb) =>
        parseServerGroupName(lb.name).app.toLowerCase() === app ||
        lb.serverGroups.some((sg) => parseServerGroupName(sg.name as string).app.toLowerCase() === app),
    );
  }

  async list(): Promise<LoadBalancerView[]> {
    return this.views(await this.cache.getAll('loadBalancers'));
  }

  async getDetails(account: string, region: string, name: string): Promise<Record<string, unknown>[]> {
    const item = await this.cache.get('loadBalancers', this.loadBalancerKey(account, region, name), { relationshipPrefixes: [] });
    return item && item.attributes.name ? [{ ...item.attributes, loadBalancerName: name, cloudProvider: this.cloudProvider }] : [];
  }

  /** Views of the load balancers with these keys (a cluster's, from its server groups' edges). */
  async byKeys(keys: readonly string[]): Promise<LoadBalancerView[]> {
    return this.views(await this.cache.getAllByIds('loadBalancers', keys));
  }

  /** Clouddriver's view of each cached load balancer. */
  protected abstract views(items: readonly CacheData[]): Promise<LoadBalancerView[]>;
}
