import { informative, type AgentDataType, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';
import { SYNTHETIC_PROVIDER_NAME } from './synthetic-agent-options.js';

/**
 * Evicts clusters none of whose server groups exist any more, then applications left without a
 * cluster (AWS's ClusterCleanupAgent). Clusters and applications are informative for the regional
 * cluster agents — no single agent can say one is gone — so this housekeeping agent decides from the
 * cache. It is not bound to an account, so it bypasses sharding.
 */
export class SyntheticClusterCleanupAgent implements CachingAgent {
  readonly agentType = 'SyntheticClusterCleanupAgent';
  readonly providerName = SYNTHETIC_PROVIDER_NAME;
  readonly providedDataTypes: readonly AgentDataType[] = [informative('clusters'), informative('applications')];

  constructor(readonly intervalMs?: number) {}

  async loadData(providerCache: ProviderCache): Promise<CacheResult> {
    const clusters = await providerCache.getAll('clusters', { relationshipPrefixes: ['serverGroups'] });
    const referenced = [...new Set(clusters.flatMap((cluster) => cluster.relationships.serverGroups ?? []))];
    const existing = new Set(await providerCache.existingIdentifiers('serverGroups', referenced));
    const goneClusters = clusters
      .filter((cluster) => !(cluster.relationships.serverGroups ?? []).some((id) => existing.has(id)))
      .map((cluster) => cluster.id);

    const gone = new Set(goneClusters);
    const liveClusters = new Set(clusters.map((cluster) => cluster.id).filter((id) => !gone.has(id)));
    const applications = await providerCache.getAll('applications', { relationshipPrefixes: ['clusters'] });
    const goneApplications = applications
      .filter((app) => !(app.relationships.clusters ?? []).some((id) => liveClusters.has(id)))
      .map((app) => app.id);

    return {
      cacheResults: {},
      evictions: { clusters: goneClusters, applications: goneApplications },
      introspectionDetails: { evictedClusters: goneClusters.length, evictedApplications: goneApplications.length },
    };
  }
}
