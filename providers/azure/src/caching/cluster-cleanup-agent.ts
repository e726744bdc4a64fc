import { clusterCleanupResult, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';
import { AZURE } from '../keys.js';

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

  loadData(providerCache: ProviderCache): Promise<CacheResult> {
    return clusterCleanupResult(providerCache);
  }
}
