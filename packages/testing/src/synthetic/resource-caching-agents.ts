import { authoritative, type AgentDataType, type CacheData, type CacheResult, type CachingAgent } from '@stratus/plugin-api';
import { SYNTHETIC_PROVIDER_NAME, syntheticAgentType, type SyntheticAgentOptions } from './synthetic-agent-options.js';
import { instanceData, loadBalancerData, securityGroupData } from './synthetic-cache-data.js';

/** An agent authoritative for one type of one account and region: whatever it no longer sees is evicted. */
abstract class SyntheticResourceCachingAgent implements CachingAgent {
  readonly agentType: string;
  readonly providerName = SYNTHETIC_PROVIDER_NAME;
  readonly accountName: string;
  readonly intervalMs?: number;
  readonly providedDataTypes: readonly AgentDataType[];

  constructor(
    protected readonly options: SyntheticAgentOptions,
    name: string,
    private readonly type: string,
  ) {
    this.agentType = syntheticAgentType(options.account, options.region, name);
    this.accountName = options.account;
    if (options.intervalMs !== undefined) this.intervalMs = options.intervalMs;
    this.providedDataTypes = [authoritative(type)];
  }

  protected abstract describe(): CacheData[];

  async loadData(): Promise<CacheResult> {
    const items = this.describe();
    return { cacheResults: { [this.type]: items }, introspectionDetails: { [this.type]: items.length } };
  }
}

/** Caches instances, each with an edge to its server group (AWS's InstanceCachingAgent). */
export class SyntheticInstanceCachingAgent extends SyntheticResourceCachingAgent {
  static readonly NAME = 'SyntheticInstanceCachingAgent';
  constructor(options: SyntheticAgentOptions) {
    super(options, SyntheticInstanceCachingAgent.NAME, 'instances');
  }
  protected describe(): CacheData[] {
    return this.options.cloud.listInstances(this.options.region).map((instance) => instanceData(this.options.account, instance));
  }
}

/** Caches load balancers; the cluster agents add their server-group edges informatively. */
export class SyntheticLoadBalancerCachingAgent extends SyntheticResourceCachingAgent {
  static readonly NAME = 'SyntheticLoadBalancerCachingAgent';
  constructor(options: SyntheticAgentOptions) {
    super(options, SyntheticLoadBalancerCachingAgent.NAME, 'loadBalancers');
  }
  protected describe(): CacheData[] {
    return this.options.cloud.listLoadBalancers(this.options.region).map((lb) => loadBalancerData(this.options.account, lb));
  }
}

/** Caches security groups. */
export class SyntheticSecurityGroupCachingAgent extends SyntheticResourceCachingAgent {
  static readonly NAME = 'SyntheticSecurityGroupCachingAgent';
  constructor(options: SyntheticAgentOptions) {
    super(options, SyntheticSecurityGroupCachingAgent.NAME, 'securityGroups');
  }
  protected describe(): CacheData[] {
    return this.options.cloud.listSecurityGroups(this.options.region).map((group) => securityGroupData(this.options.account, group));
  }
}
