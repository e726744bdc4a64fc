import { clusterCleanupResult, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';

/**
 * Evicts clusters with no live server group and applications with no live cluster (Clouddriver's
 * `ClusterCleanupAgent`). A provider's regional agents are only informative for both, because a
 * cluster spans regions; this housekeeping agent decides from the cache instead. Not bound to an
 * account; it returns explicit evictions only. Its type is `<provider>/ClusterCleanupAgent`.
 */
export class ClusterCleanupAgent implements CachingAgent {
  readonly agentType: string;
  readonly providedDataTypes = [];
  readonly intervalMs?: number;

  constructor(
    readonly providerName: string,
    intervalMs?: number,
  ) {
    this.agentType = `${providerName}/ClusterCleanupAgent`;
    if (intervalMs !== undefined) this.intervalMs = intervalMs;
  }

  loadData(providerCache: ProviderCache): Promise<CacheResult> {
    return clusterCleanupResult(providerCache);
  }
}
