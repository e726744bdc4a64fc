export { AccountAgentRegistry } from './accounts/account-agent-registry.js';
export { storeAgentRun, storeOnDemandRefresh, type StoreAgentRunOptions } from './caching/agent-refresh.js';
export { ClusterCleanupAgent } from './caching/cluster-cleanup-agent.js';
export { markAgentChanged, MAX_CONSISTENT_READS, readConsistently, withConsistentReads } from './caching/consistent-reads.js';
export {
  keepSiblingEdges,
  mergeOnDemandRecords,
  pendingOnDemandRequests,
  type CacheResultsByType,
  type OnDemandMergeOptions,
} from './caching/on-demand-merge.js';
export { RegionalCachingAgent, type RegionalAgentOptions } from './caching/regional-caching-agent.js';
export { clusterKeyFields, compactFields, serverGroupKeyFields, splitKey, type KeyBase, type ServerGroupKeyParts } from './keys/key-fields.js';
export { STANDARD_SEARCHABLE_TYPES, standardKeyParser } from './keys/standard-key-parser.js';
export { STANDARD_TYPES, standardKeys, type StandardKeys } from './keys/standard-keys.js';
export { CacheSecurityGroupReadModel } from './read-models/cache-security-group-read-model.js';
export { CacheLoadBalancerReadModel } from './read-models/cache-load-balancer-read-model.js';
export { CacheClusterReadModel, loadBalancersByEdges, standardClusterKeySpec, type ClusterReadModelSpec } from './read-models/cache-cluster-read-model.js';
export {
  countInstances,
  healthStateOf,
  instanceViewFields,
  serverGroupViewFields,
  type HealthStateOptions,
  type InstanceViewIdentity,
  type ServerGroupViewFields,
} from './read-models/view-fields.js';
export { mergeTransport, transportUrl, type ProviderTransport } from './transport/provider-transport.js';
export { mapLimit } from './util/map-limit.js';
export { toPlainJson, type Plain, type PlainJsonOptions } from './util/to-plain-json.js';
export {
  agentIntervalMs,
  registerRegionalAccounts,
  registerStandardReadModels,
  type RegionalAccountsSpec,
  type StandardReadModels,
} from './registration/register-regional-provider.js';
