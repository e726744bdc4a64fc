import {
  DescribeListenersCommand,
  DescribeTargetHealthCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { authoritative, cacheData, type CacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches application and network load balancers (ELBv2) with their listeners, and target groups
 * with their registered instances and health. Load balancers and target groups are each listed in
 * bulk; listeners and target health are per load balancer / target group (the API has no bulk form).
 */
export class LoadBalancerCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.loadBalancers), authoritative(Types.targetGroups)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonApplicationLoadBalancerCachingAgent');
  }

  // eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' caching/ now)
  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const { elbv2 } = this.aws;
    const account = this.account.name;
    const region = this.region;
    const lbs = await collectPages(
      paginateDescribeLoadBalancers({ client: elbv2, pageSize: this.pageSize(400) }, {}, { abortSignal: context.signal }),
      (p) => p.LoadBalancers,
    );
    const tgs = await collectPages(
      paginateDescribeTargetGroups({ client: elbv2, pageSize: this.pageSize(400) }, {}, { abortSignal: context.signal }),
      (p) => p.TargetGroups,
    );

    const lbKeyByArn = new Map<string, string>();
    for (const lb of lbs) {
      if (lb.LoadBalancerArn && lb.LoadBalancerName)
        lbKeyByArn.set(lb.LoadBalancerArn, Keys.loadBalancer(account, region, lb.LoadBalancerName, lb.VpcId, lb.Type));
    }
    const tgItems: CacheData[] = [];
    const tgKeysByLbArn = new Map<string, string[]>();
    const tgNamesByLbArn = new Map<string, string[]>();
    for (const tg of tgs) {
      if (!tg.TargetGroupName || !tg.TargetGroupArn) continue;
      const key = Keys.targetGroup(account, region, tg.TargetGroupName, tg.TargetType ?? 'instance', tg.VpcId);
      let targets: Record<string, unknown>[] = [];
      try {
        const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }), { abortSignal: context.signal });
        targets = (health.TargetHealthDescriptions ?? []).map((d) => ({
          instanceId: d.Target?.Id,
          port: d.Target?.Port,
          state: d.TargetHealth?.State,
          reasonCode: d.TargetHealth?.Reason,
          description: d.TargetHealth?.Description,
        }));
      } catch {
        context.signal.throwIfAborted();
        // deleted between the calls: cache it without targets
      }
      for (const lbArn of tg.LoadBalancerArns ?? []) {
        (tgKeysByLbArn.get(lbArn) ?? tgKeysByLbArn.set(lbArn, []).get(lbArn)!).push(key);
        (tgNamesByLbArn.get(lbArn) ?? tgNamesByLbArn.set(lbArn, []).get(lbArn)!).push(tg.TargetGroupName);
      }
      tgItems.push(
        cacheData(
          key,
          {
            ...toPlain(tg),
            name: tg.TargetGroupName,
            account,
            region,
            loadBalancerNames: (tg.LoadBalancerArns ?? []).map((arn) => lbs.find((lb) => lb.LoadBalancerArn === arn)?.LoadBalancerName).filter(Boolean),
            instances: targets.map((t) => t.instanceId).filter(Boolean),
            targetHealths: targets,
          },
          {
            loadBalancers: (tg.LoadBalancerArns ?? []).map((arn) => lbKeyByArn.get(arn)).filter((k): k is string => !!k),
            instances: targets
              .filter((t) => typeof t.instanceId === 'string' && t.instanceId.startsWith('i-'))
              .map((t) => Keys.instance(account, region, t.instanceId as string)),
          },
        ),
      );
    }

    const lbItems: CacheData[] = [];
    for (const lb of lbs) {
      if (!lb.LoadBalancerArn || !lb.LoadBalancerName) continue;
      let listeners: Listener[] = [];
      try {
        listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }), { abortSignal: context.signal })).Listeners ?? [];
      } catch {
        context.signal.throwIfAborted();
        // deleted between the calls
      }
      lbItems.push(
        cacheData(
          lbKeyByArn.get(lb.LoadBalancerArn)!,
          {
            ...toPlain(lb),
            name: lb.LoadBalancerName,
            account,
            region,
            loadBalancerType: lb.Type,
            listeners: toPlain(listeners),
            targetGroups: tgNamesByLbArn.get(lb.LoadBalancerArn) ?? [],
          },
          { targetGroups: tgKeysByLbArn.get(lb.LoadBalancerArn) ?? [] },
        ),
      );
    }
    return { cacheResults: { [Types.loadBalancers]: lbItems, [Types.targetGroups]: tgItems } };
  }
}
