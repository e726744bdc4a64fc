import { clusterCleanupResult, informative, type AgentDataType, type CacheResult, type CachingAgent, type ProviderCache } from '@stratus/plugin-api';
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

  loadData(providerCache: ProviderCache): Promise<CacheResult> {
    return clusterCleanupResult(providerCache);
  }
}
