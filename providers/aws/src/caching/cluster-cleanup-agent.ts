import { clusterCleanupResult, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';
import { AWS } from '../keys.js';

/**
 * Evicts clusters with no live server group and applications with no live cluster (Clouddriver's
 * `ClusterCleanupAgent`): the per-region cluster agents are only informative for them, because a
 * cluster spans regions. Not bound to an account; it returns explicit evictions only.
 */
export class ClusterCleanupAgent implements CachingAgent {
  readonly providerName = AWS;
  readonly agentType = 'aws/ClusterCleanupAgent';
  readonly providedDataTypes = [];
  readonly intervalMs?: number;

  constructor(intervalMs?: number) {
    if (intervalMs !== undefined) this.intervalMs = intervalMs;
  }

  loadData(providerCache: ProviderCache): Promise<CacheResult> {
    return clusterCleanupResult(providerCache);
  }
}
