export type { CacheStore, CacheStoreFactory, MergeOutcome } from './cats/cache-store.js';
export { MemoryCacheStore, MemoryCacheStoreFactory } from './cats/memory-cache-store.js';
export { CatsProviderCache, mergeRelationships } from './cats/cats-provider-cache.js';
export { CompositeCache } from './cats/composite-cache.js';
export { ApplicationGenerations, APPLICATION_GENERATIONS } from './cats/application-generations.js';
export { ChangeTrackingCacheStoreFactory } from './cats/change-tracking-cache-store.js';
export { SharedApplicationStamps, VIEW_STAMPS_NAMESPACE } from './cats/shared-application-stamps.js';
export { CachingAgentExecution } from './cats/caching-agent-execution.js';
export { StaleRunError } from './scheduler/stale-run-error.js';
export { InvalidCacheTypeError, assertValidType } from './cats/invalid-type-error.js';
export { globToRegExp, isLiteralGlob, longestGlobLiteral } from './cats/glob.js';
export { hasKeys, withoutNullAttributes } from './cats/attribute-maps.js';
export { relationshipAllowed } from './cats/relationship-filter.js';
export type { AgentExecution, ExecutionContext, ExecutionOutcome } from './scheduler/agent-execution.js';
export { AgentInstrumentation, type AgentExecutionRecord, type ExecutionEvent, type ExecutionResultKind } from './scheduler/agent-instrumentation.js';
export { DEFAULT_SCHEDULER_DEFAULTS, timingOf, type AgentLock, type AgentScheduler, type SchedulerDefaults } from './scheduler/agent-scheduler.js';
export { SingleNodeScheduler, type SingleNodeSchedulerOptions } from './scheduler/single-node-scheduler.js';
export { logAgentFailures, type AgentFailureLogOptions } from './scheduler/agent-failure-log.js';
export * from './tasks/task.js';
export type { CreateTaskResult, TaskRepository } from './tasks/task-repository.js';
export { MapReadModelRegistry, type ReadModelRegistry, type RegisteredReadModel } from './providers/read-model-registry.js';
export { OPEN_ACCESS, canAccessApplication, type AccessResolver, type ApplicationAuthorization, type CallerAccess } from './security/caller-access.js';
export {
  applicationOfResource,
  appliesApplicationPermissions,
  canReadResourceApplication,
  type ApplicationOfOptions,
} from './security/resource-application.js';
export { redactErrorMessage } from './security/redact-error-message.js';
export { canReadAccountData, canReadTask, canWriteTask } from './security/authorization.js';
export { MAX_CLIENT_REQUEST_ID_LENGTH, scopedRequestId, unscopedRequestId } from './tasks/client-request-id.js';
export {
  FIAT_ANONYMOUS_USER,
  FiatAccessResolver,
  accessFromFiat,
  type FiatAccessResolverOptions,
  type FiatUserPermission,
} from './security/fiat-access-resolver.js';
export type { AccountLookup } from './security/account-lookup.js';
export * from './tokens.js';
export { KeyParserRegistry } from './providers/key-parser-registry.js';
export * from './read/tokens.js';
export * from './read/service-tokens.js';
export { METRICS, NOOP_METRICS, type CounterMetric, type GaugeMetric, type HistogramMetric, type MetricsRegistry } from './metrics/metrics-registry.js';
export { DualTaskRepository, type DualTaskRepositoryOptions } from './tasks/dual-task-repository.js';
export { DualWriteTaskRepository, type DualWriteTaskRepositoryOptions } from './tasks/dual-write-task-repository.js';
export { MirrorRetryQueue } from './tasks/mirror-retry-queue.js';
export { DualWriteCacheStore, DualWriteCacheStoreFactory, type DualWriteCacheHooks } from './cats/dual-write-cache-store.js';
export { mirrorTask, type MirrorOutcome } from './tasks/mirror-task.js';
export type { OnDemandAgentBinding, OnDemandAgentSource } from './on-demand/on-demand-agent-source.js';
export * from './on-demand/tokens.js';
export * from './on-demand/service-tokens.js';
export {
  OnDemandCacheUpdater,
  type OnDemandCacheResult,
  type OnDemandCacheStatus,
  type OnDemandOutcome,
  type OnDemandRefreshEvent,
} from './on-demand/on-demand-cache-updater.js';
export { OnDemandRecordCleanupAgent, type OnDemandRecordCleanupOptions } from './on-demand/on-demand-record-cleanup-agent.js';
export { NotFoundError } from './read/not-found-error.js';
export {
  ApplicationReadService,
  type ApplicationClusterView,
  type ApplicationDetailView,
  type ListApplicationsOptions,
} from './read/application-read-service.js';
export { ClusterReadService, type ClusterSummaryView, type TargetServerGroupQuery } from './read/cluster-read-service.js';
export { TARGETS, isDisabled, parseTarget, selectTargetServerGroup, type TargetSelection, type TargetServerGroup } from './read/target-server-group.js';
export { ServerGroupReadService, type ApplicationServerGroupsQuery, type ServerGroupId } from './read/server-group-read-service.js';
export { expandedServerGroup, serverGroupSummary } from './read/server-group-summary.js';
export { InstanceReadService } from './read/instance-read-service.js';
export { LoadBalancerReadService, type LoadBalancerItem, type LoadBalancersByAccount, type LoadBalancersByRegion } from './read/load-balancer-read-service.js';
export {
  SecurityGroupReadService,
  type SecurityGroupSummary,
  type SecurityGroupsByProvider,
  type SecurityGroupsByRegion,
} from './read/security-group-read-service.js';
export { SearchService, type SearchQuery, type SearchResultSet } from './read/search-service.js';
export { READ_SERVICES, registerReadServices } from './read/register-read-services.js';
export { readServicesModule } from './read/read-services-module.js';
export { MemoryTaskRepository } from './tasks/memory-task-repository.js';
export { renderTask, renderTaskStatus, type TaskJson, type TaskStatusJson } from './tasks/task-json.js';
export { ProviderHost, type LoadedProviderInfo, type ProviderHostOptions, type RegisteredAccountType } from './providers/provider-host.js';
export { loadProvider, checkSpiVersion, type LoadProviderOptions } from './providers/load-provider.js';
export { ProviderLoadError } from './providers/provider-load-error.js';
export type { AccountDefinition } from './accounts/account-definition.js';
export {
  ACCOUNT_DEFINITION_STORE,
  MemoryAccountDefinitionStore,
  type AccountDefinitionStore,
  type StoredAccountDefinition,
} from './accounts/account-definition-store.js';
export { definitionsFromConfig, definitionsFromStorage, defaultsOf } from './accounts/definitions-from-config.js';
export {
  AccountRegistry,
  accountOwner,
  type AccountAgentHost,
  type AccountProblem,
  type AccountRegistryOptions,
  type AccountSyncReport,
} from './accounts/account-registry.js';
export { accountDetails, accountSummary, type AccountSummaryView } from './accounts/account-view.js';
export { effectivePermissions, isRestricted, type EffectivePermissions } from './security/effective-permissions.js';
export { ACCOUNTS_HEADER, PermissionAccessResolver, USER_HEADER, type RoleSourceConfig } from './security/permission-access-resolver.js';
export { OperationRegistry, PROVIDER_INDEPENDENT, parseOperationName, type RegisteredOperation } from './operations/operation-registry.js';
export { DescriptionValidationErrors, describeFieldError, type FieldError } from './operations/description-validation-errors.js';
export * from './operations/operation-errors.js';
export { accountOfInput, readOperationsPayload, type RequestedOperation } from './operations/operation-payload.js';
export {
  OperationsService,
  OperationsShuttingDownError,
  ORCHESTRATION_PHASE,
  type StartOperationResult,
  type SubmitOperationsRequest,
} from './operations/operations-service.js';
export * from './operations/tokens.js';
export * from './operations/service-tokens.js';
export { registerOperationServices } from './operations/register-operation-services.js';
export { registerOnDemandServices } from './on-demand/register-on-demand-services.js';
export { onDemandModule } from './on-demand/on-demand-module.js';
export { ProviderRouteRegistry, type RegisteredProviderRoute } from './providers/provider-route-registry.js';
export { ACCOUNT_DEFINITIONS_NAMESPACE, CacheStoreAccountDefinitionStore } from './accounts/cache-store-account-definition-store.js';
export * from './front50/index.js';
export * from './entity-tags/index.js';
export * from './modules/index.js';
export { definedOnly, type DefinedOnly } from './util/defined-only.js';
export type { AdapterContext, StorageAdapter, StorageConcern, StorageConfigSection, StorageRootConfig } from './storage/storage-adapter.js';
export { StorageConfigError } from './storage/storage-config-error.js';
export { STORAGE_ADAPTER, storageAdapterModule, type StorageAdapterModule } from './storage/storage-adapter-module.js';
export { memoryStorageAdapter, memoryStorageModule } from './storage/memory-storage-adapter.js';
export { splitStoreUrl } from './storage/split-store-url.js';
export { redactStoreUrl } from './storage/redact-store-url.js';
