import { createAzureProvider } from './azure-provider.js';

export { createAzureProvider, AZURE_PROVIDER_API_VERSION, type AzureProviderHandle, type AzureProviderOptions } from './azure-provider.js';
export { AZURE_PROVIDER_VERSION } from './version.js';
export { parseAzureAccount, type AzureAccount } from './accounts/azure-account.js';
export { AzureAccountRegistry } from './accounts/azure-account-registry.js';
export {
  AzureClientFactory,
  staticTokenCredential,
  type AzureAccountClients,
  type AzureClientOptions,
  type AzureTokenCredential,
} from './accounts/azure-clients.js';
export { AZURE, Keys, Types, parseKey, azureKeyParser } from './keys.js';
export { azureCall, azureErrorMessage, azureErrorStatus } from './azure-errors.js';
export { agentsForAccount } from './caching/agents-for-account.js';
export { AzureServerGroupCachingAgent } from './caching/server-group-caching-agent.js';
export { AzureLoadBalancerCachingAgent } from './caching/load-balancer-caching-agent.js';
export { AzureSecurityGroupCachingAgent } from './caching/security-group-caching-agent.js';
export { AzureNetworkCachingAgent } from './caching/network-caching-agent.js';
export { AzureImageCachingAgent } from './caching/image-caching-agent.js';
export { AzureClusterCleanupAgent } from './caching/cluster-cleanup-agent.js';
export { AzureClusterReadModel } from './read-models/azure-cluster-read-model.js';
export { AzureInstanceReadModel } from './read-models/azure-instance-read-model.js';
export { AzureLoadBalancerReadModel } from './read-models/azure-load-balancer-read-model.js';
export { AzureSecurityGroupReadModel } from './read-models/azure-security-group-read-model.js';

/** The Azure provider with default options (credentials from each account's config). */
export default createAzureProvider();
