import { createKubernetesProvider } from './kubernetes-provider.js';

export { createKubernetesProvider, kubernetesOperations, type KubernetesProvider, type KubernetesProviderServices } from './kubernetes-provider.js';
export { parseKubernetesAccount, accountCoversNamespace, type KubernetesAccount } from './accounts/kubernetes-account.js';
export { KubernetesClient, type KubernetesClientOptions, type Manifest, type PatchType, type ListResult } from './kubernetes-client.js';
export { KubernetesApiError } from './kubernetes-api-error.js';
export {
  BUILT_IN_KINDS,
  NAMESPACE_KIND,
  JOB_KIND,
  customKind,
  findKind,
  kindOfManifest,
  type KubernetesKind,
  type CustomResourceDefinition,
} from './kubernetes-kind.js';
export {
  KUBERNETES_PROVIDER,
  APPLICATIONS_TYPE,
  CLUSTERS_TYPE,
  applicationKey,
  clusterKey,
  infrastructureKey,
  parseInfrastructureKey,
  kubernetesKeyParser,
} from './kubernetes-keys.js';
export { monikerOf } from './kubernetes-moniker.js';
export { KubernetesManifestCachingAgent, agentTypeOf, PROVIDER_NAME } from './caching/kubernetes-caching-agent.js';
export { AccountCacheSession, type AccountCacheHealth, type AccountCacheSessionOptions } from './caching/account-cache-session.js';
export { KubernetesRuntime, type KubernetesRuntimeOptions } from './accounts/kubernetes-runtime.js';
export { WatchBudget } from './caching/watch-budget.js';
export {
  KubernetesManifestService,
  ManifestRequestError,
  type ManifestView,
  type ManifestCoordinates,
  type DynamicTargetCriteria,
} from './read-models/kubernetes-manifest-service.js';
export { kubernetesManifestRoutes } from './routes/kubernetes-manifest-routes.js';
export { kubernetesReadRoutes, type KubernetesReadRouteServices } from './routes/kubernetes-read-routes.js';
export { KubernetesJobProvider, jobStateOf, type KubernetesJobStatus, type JobState } from './read-models/kubernetes-job-provider.js';
export { extractPropertiesFromLog } from './read-models/property-parser.js';
export {
  KubernetesServerGroupManagerProvider,
  type ServerGroupManagerView,
  type ServerGroupSummaryView,
} from './read-models/kubernetes-server-group-manager-provider.js';
export { KubernetesRawResourceProvider, type RawResourceView } from './read-models/kubernetes-raw-resource-provider.js';
export { KubernetesClusterReadModel } from './read-models/kubernetes-cluster-read-model.js';
export { consoleOutput, type ContainerLog } from './read-models/kubernetes-console-output.js';
export { bindArtifacts, dockerImageName, type Artifact } from './ops/artifact-binding.js';
export { manifestStatus, type ManifestStatus, type StatusCondition } from './read-models/manifest-status.js';
export { artifactsOf, type ManifestArtifact } from './ops/manifest-artifacts.js';
export { VERSION } from './version.js';

/** The provider with default options, for loading by package name. */
export default createKubernetesProvider();
