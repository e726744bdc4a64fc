import { DescribeInstanceHealthCommand, paginateDescribeLoadBalancers, type LoadBalancerDescription } from '@aws-sdk/client-elastic-load-balancing';
import { authoritative, cacheData, type AgentRunContext, type CacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches classic load balancers (`elasticloadbalancing` 2012-06-01) under Clouddriver's keys
 * (`aws:loadBalancers:<account>:<region>:<name>:<vpcId>`), with the state of each registered
 * instance (`instanceStates`, DescribeInstanceHealth per load balancer: the API has no bulk form),
 * which the server group views turn into `LoadBalancer` health.
 */
export class ClassicLoadBalancerCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.loadBalancers)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonLoadBalancerCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const lbs = await collectPages(
      paginateDescribeLoadBalancers({ client: this.aws.elb, pageSize: this.pageSize(400) }, {}, { abortSignal: context?.signal }),
      (p) => p.LoadBalancerDescriptions,
    );
    const items: CacheData[] = [];
    for (const lb of lbs) {
      context?.signal?.throwIfAborted();
      if (!lb.LoadBalancerName) continue;
      items.push(await this.item(lb, context?.signal));
    }
    return { cacheResults: { [Types.loadBalancers]: items } };
  }

  private async item(lb: LoadBalancerDescription, signal?: AbortSignal): Promise<CacheData> {
    let states: Record<string, unknown>[] = [];
    try {
      const health = await this.aws.elb.send(
        new DescribeInstanceHealthCommand({ LoadBalancerName: lb.LoadBalancerName }),
        signal ? { abortSignal: signal } : {},
      );
      states = (health.InstanceStates ?? []).map((s) => ({ instanceId: s.InstanceId, state: s.State, reasonCode: s.ReasonCode, description: s.Description }));
    } catch {
      // deleted between the calls: cache it without instance states
    }
    const account = this.account.name;
    return cacheData(
      Keys.loadBalancer(account, this.region, lb.LoadBalancerName!, lb.VPCId),
      {
        ...toPlain(lb),
        name: lb.LoadBalancerName,
        account,
        region: this.region,
        vpcId: lb.VPCId,
        loadBalancerType: 'classic',
        instances: (lb.Instances ?? []).map((i) => i.InstanceId).filter(Boolean),
        instanceStates: states,
      },
      { instances: (lb.Instances ?? []).filter((i) => i.InstanceId).map((i) => Keys.instance(account, this.region, i.InstanceId!)) },
    );
  }
}
