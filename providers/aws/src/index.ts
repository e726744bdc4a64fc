import { createAwsProvider } from './aws-provider.js';

export { createAwsProvider, AWS_PROVIDER_API_VERSION, type AwsProviderHandle, type AwsProviderOptions } from './aws-provider.js';
export { AWS_PROVIDER_VERSION } from './version.js';
export { parseAwsAccount, roleArnOf, type AwsAccount, type AwsRegion } from './accounts/aws-account.js';
export { AwsAccountRegistry } from './accounts/aws-account-registry.js';
export { AwsClientFactory, type AwsClientOptions, type AwsRegionClients } from './accounts/aws-clients.js';
export { AWS, Keys, Types, parseKey, awsKeyParser } from './keys.js';
export { agentsForAccount } from './caching/agents-for-account.js';
export { AwsServerGroupCachingAgent } from './caching/server-group-caching-agent.js';
export { ClusterCleanupAgent } from './caching/cluster-cleanup-agent.js';
export { InstanceCachingAgent } from './caching/instance-caching-agent.js';
export { LaunchTemplateCachingAgent } from './caching/launch-template-caching-agent.js';
export { LoadBalancerCachingAgent } from './caching/load-balancer-caching-agent.js';
export { SecurityGroupCachingAgent } from './caching/security-group-caching-agent.js';
export { VpcCachingAgent } from './caching/vpc-caching-agent.js';
export { SubnetCachingAgent } from './caching/subnet-caching-agent.js';
export { ImageCachingAgent } from './caching/image-caching-agent.js';
export { KeyPairCachingAgent } from './caching/key-pair-caching-agent.js';
export { AwsClusterReadModel } from './read-models/aws-cluster-read-model.js';
export { AwsInstanceReadModel } from './read-models/aws-instance-read-model.js';
export { AwsLoadBalancerReadModel } from './read-models/aws-load-balancer-read-model.js';
export { AwsSecurityGroupReadModel } from './read-models/aws-security-group-read-model.js';
export { AwsLookups } from './routes/aws-lookups.js';

/** The AWS provider with default options (credentials from the SDK default chain). */
export default createAwsProvider();
