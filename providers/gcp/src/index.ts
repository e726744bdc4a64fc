import { createGceProvider } from './gce-provider.js';

export { createGceProvider, GCE_PROVIDER_API_VERSION, type GceProviderHandle, type GceProviderOptions } from './gce-provider.js';
export { GCE_PROVIDER_VERSION } from './version.js';
export { parseGceAccount, type GceAccount, type GceRegion } from './accounts/gce-account.js';
export { GceAccountRegistry } from './accounts/gce-account-registry.js';
export { GceClientFactory, staticTokenAuthClient, type GceAccountClients, type GceAuthClient, type GceClientOptions } from './accounts/gce-clients.js';
export { GCE, GLOBAL, Keys, Types, parseKey, gceKeyParser } from './keys.js';
export { awaitOperation, GceOperationError, gceErrorMessage, type ComputeOperation } from './operations.js';
export { agentsForAccount } from './caching/agents-for-account.js';
export { GceServerGroupCachingAgent } from './caching/server-group-caching-agent.js';
export { GceInstanceCachingAgent } from './caching/instance-caching-agent.js';
export { GceLoadBalancerCachingAgent } from './caching/load-balancer-caching-agent.js';
export { GceHttpLoadBalancerCachingAgent } from './caching/http-load-balancer-caching-agent.js';
export {
  GceBackendServiceCachingAgent,
  GceImageCachingAgent,
  GceNetworkCachingAgent,
  GceSecurityGroupCachingAgent,
  GceSubnetCachingAgent,
} from './caching/global-caching-agents.js';
export { GceClusterCleanupAgent } from './caching/cluster-cleanup-agent.js';
export { GceClusterReadModel } from './read-models/gce-cluster-read-model.js';
export { GceInstanceReadModel } from './read-models/gce-instance-read-model.js';
export { GceLoadBalancerReadModel } from './read-models/gce-load-balancer-read-model.js';
export { GceLookups } from './routes/gce-lookups.js';
export { gceRoutes } from './routes/gce-routes.js';
export { GceSecurityGroupReadModel } from './read-models/gce-security-group-read-model.js';

/** The GCE provider with default options (credentials from each account's config). */
export default createGceProvider();
