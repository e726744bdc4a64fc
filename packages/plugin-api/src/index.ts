export { SPI_VERSION, majorVersionOf } from './spi-version.js';
export { createToken, type Token, type TokenType } from './token.js';
export { cacheData, type CacheData } from './cache-data.js';
export type { CacheResult } from './cache-result.js';
export { authoritative, informative, type AgentDataType, type Authority } from './agent-data-type.js';
export type { Cache, CacheFilter } from './cache.js';
export { applicationOfItem } from './cache.js';
export type { ProviderCache, CacheWriteStats } from './provider-cache.js';
export { isCachingAgent, isRunnableAgent, type Agent, type AgentOwnership, type AgentRunContext, type CachingAgent, type RunnableAgent } from './agent.js';
export { isOnDemandAgent, type OnDemandAgent, type OnDemandResult, type PendingOnDemandRequest } from './on-demand-agent.js';
export type { AccountCredentials, AccountPermissions } from './account-credentials.js';
export { silentLogger, type Logger } from './logger.js';
export {
  RetryableOperationError,
  runStep,
  type AtomicOperation,
  type AtomicOperationConverter,
  type DescriptionValidator,
  type OperationContext,
  type OperationDefinition,
  type OperationSteps,
  type OperationTask,
  type ValidationErrors,
} from './atomic-operation.js';
export type { KeyParser } from './key-parser.js';
export { clusterCleanupResult } from './cluster-cleanup.js';
export { clusterName, monikerOf, nextSequence, parseServerGroupName, serverGroupName, type ServerGroupNameParts } from './naming.js';
export type * from './read-models.js';
export {
  defineProvider,
  isProviderDefinition,
  type AccountDefinitionSource,
  type AccountTypeDefinition,
  type CacheNamespaceOptions,
  type ProviderContext,
  type ProviderCounter,
  type ProviderDefinition,
  type ProviderMetrics,
} from './define-provider.js';
export {
  ON_DEMAND_TTL_SECONDS,
  ON_DEMAND_TYPE,
  applyUsableRecords,
  cacheTimeOf,
  loadOnDemandRecords,
  onDemandRecord,
  processedCountOf,
  reconcileOnDemandRecords,
  serializeCacheResults,
  storedCacheResults,
  toPendingOnDemandRequest,
  type OnDemandReconciliation,
  type OnDemandRecordInput,
  type ReconcileOptions,
} from './on-demand-records.js';
export { RouteError, type ProviderRoute, type ProviderRouteRequest, type ProviderRouteResponse, type RouteCaller } from './provider-route.js';
export { ArtifactError, type Artifact, type ArtifactContent } from './artifact.js';
export type { ArtifactAccount, ArtifactAccountContext, ArtifactAccountTypeDefinition, ArtifactFetchInit } from './artifact-account.js';
export type { InfrastructureSnapshot, SnapshotStore } from './snapshot-store.js';
export { ARTIFACT_DOWNLOAD_SERVICE, type ArtifactDownloadOptions, type ArtifactDownloadService } from './artifact-download-service.js';
