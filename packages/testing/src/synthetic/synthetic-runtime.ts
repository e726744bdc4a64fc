import type { Agent, ProviderCache } from '@stratus/plugin-api';
import { SyntheticClusterCachingAgent } from './cluster-caching-agent.js';
import { SyntheticInstanceCachingAgent, SyntheticLoadBalancerCachingAgent, SyntheticSecurityGroupCachingAgent } from './resource-caching-agents.js';
import type { SyntheticAccountCredentials } from './synthetic-account.js';
import type { SyntheticCloud } from './synthetic-cloud.js';
import type { SyntheticCloudRegistry } from './synthetic-cloud-registry.js';

export interface SyntheticRegionAgents {
  readonly cluster: SyntheticClusterCachingAgent;
  readonly instances: SyntheticInstanceCachingAgent;
  readonly loadBalancers: SyntheticLoadBalancerCachingAgent;
  readonly securityGroups: SyntheticSecurityGroupCachingAgent;
}

export interface SyntheticAccount {
  readonly credentials: SyntheticAccountCredentials;
  readonly cloud: SyntheticCloud;
  readonly regions: ReadonlyMap<string, SyntheticRegionAgents>;
}

/**
 * What the provider knows at run time: its accounts (credentials, fake cloud, agents per region) and
 * its provider cache. Shared by the account type, the operations and the read models.
 */
export class SyntheticRuntime {
  private readonly accounts = new Map<string, SyntheticAccount>();

  constructor(
    readonly clouds: SyntheticCloudRegistry,
    readonly providerCache: ProviderCache,
    private readonly agentOptions: { intervalMs?: number; now?: () => number } = {},
  ) {}

  /** Builds (or rebuilds) the agents of an account; one set per region. */
  agentsFor(credentials: SyntheticAccountCredentials): Agent[] {
    const cloud = this.clouds.forAccount(credentials);
    const regions = new Map<string, SyntheticRegionAgents>();
    for (const { name: region } of credentials.regions) {
      const options = { account: credentials.name, region, cloud, ...this.agentOptions };
      regions.set(region, {
        cluster: new SyntheticClusterCachingAgent(options),
        instances: new SyntheticInstanceCachingAgent(options),
        loadBalancers: new SyntheticLoadBalancerCachingAgent(options),
        securityGroups: new SyntheticSecurityGroupCachingAgent(options),
      });
    }
    this.accounts.set(credentials.name, { credentials, cloud, regions });
    return [...regions.values()].flatMap((agents) => [agents.cluster, agents.instances, agents.loadBalancers, agents.securityGroups]);
  }

  removeAccount(name: string): void {
    this.accounts.delete(name);
  }

  account(name: string): SyntheticAccount | undefined {
    return this.accounts.get(name);
  }

  accountNames(): string[] {
    return [...this.accounts.keys()];
  }
}
