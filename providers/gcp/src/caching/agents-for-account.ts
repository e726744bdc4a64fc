import type { Agent } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceClientFactory } from '../accounts/gce-clients.js';
import type { ConsulAgentUrl } from '../ops/consul-agent.js';
import {
  GceBackendServiceCachingAgent,
  GceImageCachingAgent,
  GceNetworkCachingAgent,
  GceSecurityGroupCachingAgent,
  GceSubnetCachingAgent,
} from './global-caching-agents.js';
import { GceHttpLoadBalancerCachingAgent } from './http-load-balancer-caching-agent.js';
import { GceInstanceCachingAgent } from './instance-caching-agent.js';
import { GceLoadBalancerCachingAgent } from './load-balancer-caching-agent.js';
import { GceServerGroupCachingAgent } from './server-group-caching-agent.js';
import { GceSslCertificateCachingAgent } from './ssl-certificate-caching-agent.js';

/** Every caching agent of one account: account-wide (`global`) ones, then one set per region. */
export function agentsForAccount(account: GceAccount, clients: GceClientFactory, intervalMs?: number, consulAgentUrl?: ConsulAgentUrl): Agent[] {
  const base = { account, clients, ...(intervalMs !== undefined ? { intervalMs } : {}) };
  return [
    new GceInstanceCachingAgent({ ...base, region: 'global', ...(consulAgentUrl ? { consulAgentUrl } : {}) }),
    new GceSecurityGroupCachingAgent(base),
    new GceNetworkCachingAgent(base),
    new GceImageCachingAgent(base),
    new GceBackendServiceCachingAgent(base),
    new GceHttpLoadBalancerCachingAgent(base),
    new GceSslCertificateCachingAgent(base),
    ...account.regions.flatMap((region) => {
      const options = { ...base, region: region.name };
      return [new GceServerGroupCachingAgent(options), new GceLoadBalancerCachingAgent(options), new GceSubnetCachingAgent(options)];
    }),
  ];
}
