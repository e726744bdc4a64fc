import { cacheData, parseServerGroupName, type ProviderCache } from '@stratus/plugin-api';
import { instanceData } from './synthetic-cache-data.js';
import { SyntheticKeys } from './synthetic-keys.js';
import type { SyntheticRuntime } from './synthetic-runtime.js';

/**
 * Writes what an operation changed straight into the cache, so the read API shows it as soon as the
 * task completes instead of after the next scheduled run. It goes through the same path as an
 * on-demand refresh (an `onDemand` record plus a partial result of the owning agent, which never
 * evicts siblings), so an agent run that described the cloud before the change cannot undo it.
 */
export class SyntheticCacheRefresher {
  constructor(private readonly runtime: SyntheticRuntime) {}

  private get cache(): ProviderCache {
    return this.runtime.providerCache;
  }

  async refreshServerGroup(account: string, region: string, name: string): Promise<void> {
    const agents = this.runtime.account(account)?.regions.get(region);
    if (!agents) return;
    const cloud = this.runtime.account(account)!.cloud;
    const key = SyntheticKeys.serverGroup(account, region, name);
    const before = await this.cache.get('serverGroups', key, { relationshipPrefixes: ['instances', 'loadBalancers'] });

    const result = await agents.cluster.handle(this.cache, { serverGroupName: name, account, region });
    if (result) await this.cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);

    const group = cloud.getServerGroup(region, name);
    const instances = (group?.instanceIds ?? []).flatMap((id) => {
      const instance = cloud.getInstance(region, id);
      return instance ? [instanceData(account, instance)] : [];
    });
    const current = new Set(instances.map((item) => item.id));
    const stale = (before?.relationships.instances ?? []).filter((id) => !current.has(id));
    await this.cache.addCacheResult(agents.instances.agentType, ['instances'], {
      cacheResults: { instances },
      evictions: stale.length > 0 ? { instances: stale } : {},
      partialResult: true,
    });

    if (!group) await this.forgetServerGroup(account, region, key, before?.relationships.loadBalancers ?? []);
  }

  /** Takes a destroyed server group out of its cluster's and load balancers' edges; drops an emptied cluster and application. */
  private async forgetServerGroup(account: string, region: string, key: string, loadBalancerKeys: readonly string[]): Promise<void> {
    const agents = this.runtime.account(account)!.regions.get(region)!;
    const name = parseServerGroupName(key.slice(key.lastIndexOf(':') + 1));
    const clusterKey = SyntheticKeys.cluster(name.app, account, name.cluster);
    const appKey = SyntheticKeys.application(name.app);
    const mine = (id: string) => id !== key && id.includes(`:${account}:${region}:`);

    const cluster = await this.cache.get('clusters', clusterKey);
    const loadBalancers = await this.cache.getAllByIds('loadBalancers', loadBalancerKeys, { relationshipPrefixes: ['serverGroups'] });
    await this.cache.addCacheResult(agents.cluster.agentType, ['serverGroups'], {
      cacheResults: {
        clusters: cluster ? [cacheData(clusterKey, {}, { serverGroups: (cluster.relationships.serverGroups ?? []).filter(mine) })] : [],
        loadBalancers: loadBalancers.map((lb) => cacheData(lb.id, {}, { serverGroups: (lb.relationships.serverGroups ?? []).filter(mine) })),
      },
      partialResult: true,
    });

    const remaining = await this.cache.existingIdentifiers(
      'serverGroups',
      (cluster?.relationships.serverGroups ?? []).filter((id) => id !== key),
    );
    if (remaining.length > 0) return;
    await this.cache.evictDeletedItems('clusters', [clusterKey]);
    const app = await this.cache.get('applications', appKey);
    const liveClusters = await this.cache.existingIdentifiers('clusters', app?.relationships.clusters ?? []);
    if (liveClusters.length === 0) await this.cache.evictDeletedItems('applications', [appKey]);
  }
}
