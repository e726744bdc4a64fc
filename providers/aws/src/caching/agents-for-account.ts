import type { Agent } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsClientFactory } from '../accounts/aws-clients.js';
import { discoveryUrlOf } from '../ops/instance-lifecycle-operations.js';
import { withConsistentReads } from '@stratus/provider-kit';
import { withRunSignal } from '../accounts/call-signal.js';
import { ClassicLoadBalancerCachingAgent } from './classic-load-balancer-caching-agent.js';
import { CloudFormationCachingAgent } from './cloud-formation-caching-agent.js';
import { AwsServerGroupCachingAgent } from './server-group-caching-agent.js';
import { DiscoveryCachingAgent } from './discovery-caching-agent.js';
import { ImageCachingAgent } from './image-caching-agent.js';
import { InstanceCachingAgent } from './instance-caching-agent.js';
import { InstanceTypeCachingAgent } from './instance-type-caching-agent.js';
import { KeyPairCachingAgent } from './key-pair-caching-agent.js';
import { LaunchConfigCachingAgent } from './launch-config-caching-agent.js';
import { LaunchTemplateCachingAgent } from './launch-template-caching-agent.js';
import { LoadBalancerCachingAgent } from './load-balancer-caching-agent.js';
import { SecurityGroupCachingAgent } from './security-group-caching-agent.js';
import { SubnetCachingAgent } from './subnet-caching-agent.js';
import { VpcCachingAgent } from './vpc-caching-agent.js';

/** Every caching agent of one account: one set per region (Clouddriver's `ProviderHelpers`). */
export function agentsForAccount(account: AwsAccount, clients: AwsClientFactory, intervalMs?: number): Agent[] {
  return account.regions.flatMap((region) => {
    const options = { account, region: region.name, clients, ...(intervalMs !== undefined ? { intervalMs } : {}) };
    const agents = [
      new AwsServerGroupCachingAgent(options),
      new InstanceCachingAgent(options),
      new LaunchTemplateCachingAgent(options),
      new LaunchConfigCachingAgent(options),
      new LoadBalancerCachingAgent(options),
      new ClassicLoadBalancerCachingAgent(options),
      new SecurityGroupCachingAgent(options),
      new VpcCachingAgent(options),
      new SubnetCachingAgent(options),
      new ImageCachingAgent(options),
      new KeyPairCachingAgent(options),
      new InstanceTypeCachingAgent(options),
      new CloudFormationCachingAgent(options),
      ...(discoveryUrlOf(account, region.name) ? [new DiscoveryCachingAgent(options)] : []),
    ];
    return agents.map((agent) => withConsistentReads(withRunSignal(agent)));
  });
}
