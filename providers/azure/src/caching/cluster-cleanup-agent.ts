import type { CacheResult, CachingAgent, ProviderCache } from '@stratus/plugin-api';
import { AZURE, Types } from '../keys.js';

/**
 * Evicts clusters with no live server group and applications with no live cluster (Clouddriver's
 * `ClusterCleanupAgent`): the per-region server group agents are only informative for them because
 * a cluster spans regions. Not bound to an account; it returns explicit evictions only.
 */
export class AzureClusterCleanupAgent implements CachingAgent {
  readonly providerName = AZURE;
  readonly agentType = 'azure/ClusterCleanupAgent';
  readonly providedDataTypes = [];
  readonly intervalMs?: number;

  constructor(intervalMs?: number) {
    if (intervalMs !== undefined) this.intervalMs = intervalMs;
  }

  async loadData(providerCache: ProviderCache): Promise<CacheResult> {
    const clusters = await providerCache.getAll(Types.clusters, { relationshipPrefixes: [Types.serverGroups] });
    const deadClusters: string[] = [];
    for (const cluster of clusters) {
      if ((await providerCache.existingIdentifiers(Types.serverGroups, cluster.relationships[Types.serverGroups] ?? [])).length === 0) deadClusters.push(cluster.id);
    }
    const dead = new Set(deadClusters);
    const applications = await providerCache.getAll(Types.applications, { relationshipPrefixes: [Types.clusters] });
    const deadApplications: string[] = [];
    for (const app of applications) {
      const live = (app.relationships[Types.clusters] ?? []).filter((id) => !dead.has(id));
      if ((await providerCache.existingIdentifiers(Types.clusters, live)).length === 0) deadApplications.push(app.id);
    }
    return {
      cacheResults: {},
      evictions: { [Types.clusters]: deadClusters, [Types.applications]: deadApplications },
      introspectionDetails: { evictedClusters: deadClusters.length, evictedApplications: deadApplications.length },
    };
  }
}
