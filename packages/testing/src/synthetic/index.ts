export { Prng, seedFrom } from './prng.js';
export { SYNTHETIC, SyntheticKeys, SyntheticTypes, parseSyntheticKey, syntheticKeyParser } from './synthetic-keys.js';
export { SyntheticResults, generateSyntheticResults, type SyntheticAgentResult, type SyntheticResultsOptions } from './synthetic-results.js';
export {
  SyntheticCloud,
  SyntheticCloudError,
  createSyntheticCloud,
  type CreateServerGroupInput,
  type SyntheticCloudOptions,
  type SyntheticHealth,
  type SyntheticInstance,
  type SyntheticLoadBalancer,
  type SyntheticRule,
  type SyntheticSecurityGroup,
  type SyntheticServerGroup,
} from './synthetic-cloud.js';
export { SyntheticCloudRegistry, defaultSyntheticClouds } from './synthetic-cloud-registry.js';
export { parseSyntheticAccount, type SyntheticAccountCredentials } from './synthetic-account.js';
export { SYNTHETIC_PROVIDER_NAME, syntheticAgentType, type SyntheticAgentOptions } from './synthetic-agent-options.js';
export { informativeItems, instanceData, loadBalancerData, securityGroupData, serverGroupData } from './synthetic-cache-data.js';
export { SyntheticClusterCachingAgent } from './cluster-caching-agent.js';
export { SyntheticInstanceCachingAgent, SyntheticLoadBalancerCachingAgent, SyntheticSecurityGroupCachingAgent } from './resource-caching-agents.js';
export { SyntheticClusterCleanupAgent } from './cluster-cleanup-agent.js';
export { SyntheticRuntime, type SyntheticAccount, type SyntheticRegionAgents } from './synthetic-runtime.js';
export { SyntheticCacheRefresher } from './synthetic-cache-refresher.js';
export { syntheticOperations, type SyntheticOperationName, type SyntheticOperationOptions } from './operations/synthetic-operations.js';
export { SyntheticReadModels } from './read-models/synthetic-read-models.js';
export { SYNTHETIC_PROVIDER_VERSION, createSyntheticProvider, syntheticProvider, type SyntheticProviderOptions } from './synthetic-provider.js';
export { ProviderTestHost, type FieldError, type OnDemandOutcome, type OperationRun } from './provider-test-host.js';
