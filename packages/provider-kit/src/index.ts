export { AccountAgentRegistry } from './accounts/account-agent-registry.js';
export { accountFields, type AccountFields } from './accounts/account-fields.js';
export { type CloudAccount, type CloudAccountIdentity } from './accounts/cloud-account.js';
export { storeAgentRun, storeOnDemandRefresh, type StoreAgentRunOptions } from './caching/agent-refresh.js';
export { ClusterCleanupAgent } from './caching/cluster-cleanup-agent.js';
export { RegionalCacheRefresher, type AgentLookup, type RegionalCacheRefresherSpec } from './caching/regional-cache-refresher.js';
export { markAgentChanged, MAX_CONSISTENT_READS, readConsistently, withConsistentReads } from './caching/consistent-reads.js';
export {
  keepSiblingEdges,
  mergeOnDemandRecords,
  pendingOnDemandRequests,
  type CacheResultsByType,
  type OnDemandMergeOptions,
} from './caching/on-demand-merge.js';
export { ServerGroupIndex, type IndexedServerGroup } from './caching/server-group-index.js';
export { serverGroupAgentTypes, type ServerGroupAgentExtras, type ServerGroupAgentTypes } from './caching/server-group-agent-types.js';
export { ServerGroupOnDemand, type ServerGroupOnDemandAgent, type ServerGroupOnDemandSpec } from './caching/server-group-on-demand.js';
export { RegionalCachingAgent, type RegionalAgentOptions } from './caching/regional-caching-agent.js';
export {
  accountFirstClusterKeyFields,
  applicationKeyFields,
  clusterKeyFields,
  compactFields,
  parseRegionalKey,
  regionalInstanceKeyFields,
  regionalLoadBalancerKeyFields,
  serverGroupKeyFields,
  serverGroupSegmentFields,
  splitKey,
  type KeyBase,
  type ServerGroupKeyParts,
} from './keys/key-fields.js';
export { STANDARD_SEARCHABLE_TYPES, standardKeyParser } from './keys/standard-key-parser.js';
export { STANDARD_TYPES, standardKeys, standardTypes, type StandardKeys } from './keys/standard-keys.js';
export { CacheSecurityGroupReadModel } from './read-models/cache-security-group-read-model.js';
export { securityGroupViewFields, type SecurityGroupIdentity, type SecurityGroupViewFields } from './read-models/security-group-view-fields.js';
export { CacheLoadBalancerReadModel } from './read-models/cache-load-balancer-read-model.js';
export { loadBalancerServerGroupEntry, loadBalancerView, type LoadBalancerViewParts } from './read-models/load-balancer-view-fields.js';
export {
  CacheClusterReadModel,
  loadBalancersByEdges,
  standardClusterKeySpec,
  standardClusterSpec,
  type ClusterReadModelSpec,
} from './read-models/cache-cluster-read-model.js';
export { ApplicationPreloadedCache } from './read-models/application-preload.js';
export { loadRelated, relatedItems } from './read-models/related-items.js';
export {
  countInstances,
  healthStateOf,
  instanceViewFields,
  serverGroupViewFields,
  type CountInstancesOptions,
  type HealthStateOptions,
  type InstanceViewIdentity,
  type ServerGroupViewFields,
} from './read-models/view-fields.js';
export { mergeTransport, transportUrl, type ProviderTransport } from './transport/provider-transport.js';
export { definedOnly, type DefinedOnly } from './util/defined-only.js';
export { resizeStepSpec, type SizeRules, type StepContext, type StepOperationSpec } from './ops/step-operation.js';
export { type DeployTarget } from './ops/deploy-target.js';
export { emptyDeploymentResult, recordDeployment, type DeploymentResult } from './ops/deployment-result.js';
export { cloneAccountsOf, cloneApplicationsOf, cloneSourceOf, validateCloneSource, type CloneSource } from './ops/clone-source.js';
export {
  accountNameOf,
  isNonNegativeInt,
  loadBalancerDescriptionOf,
  optString,
  regionOf,
  str,
  stringList,
  type LoadBalancerDescription,
} from './ops/description-fields.js';
export {
  validateAccount,
  validateRegion,
  validateRegionalName,
  validateStringMap,
  type CloudNameRules,
  type RegionalAccountLike,
} from './ops/validate-account.js';
export { mapLimit } from './util/map-limit.js';
export { cloudCallWith, type CloudCall } from './util/cloud-call.js';
export { pickFields } from './util/pick-fields.js';
export { cachedAttributes } from './routes/cached-attributes.js';
export { queryText } from './routes/query-text.js';
export { readableEntries, readableListRoute } from './routes/readable-list-route.js';
export { toPlainJson, type Plain, type PlainJsonOptions } from './util/to-plain-json.js';
export { type RegionalProviderHandle } from './registration/regional-provider-handle.js';
export {
  agentIntervalMs,
  registerRegionalAccounts,
  registerStandardReadModels,
  type RegionalAccountsSpec,
  type StandardReadModels,
} from './registration/register-regional-provider.js';
export {
  defineRegionalProvider,
  type RegionalOperationDeps,
  type RegionalProviderOptions,
  type RegionalProviderParts,
  type RegionalProviderSpec,
  type StandardReadModelClasses,
} from './registration/define-regional-provider.js';
export { serverGroupDescriptionOf, serverGroupStepOperation, type ServerGroupCloud, type ServerGroupDescription } from './ops/server-group-step-operation.js';
export { accountOperation, type AccountDescription, type AccountOperationSpec } from './ops/account-operation.js';
export { objectFieldOf, type ObjectFieldRules } from './ops/object-field.js';
export { validateDeployNames, type DeployNameRules } from './ops/validate-deploy-names.js';
export { createServerGroupDefinition, type CreateServerGroupSpec } from './ops/create-server-group-definition.js';
export { cloneServerGroupDefinition, startClone, type CloneOperationSpec, type DeployDescription } from './ops/clone-operation.js';
