import { DescribeAutoScalingGroupsCommand, paginateDescribeAutoScalingGroups, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { DescribeTargetGroupsCommand, paginateDescribeTargetGroups, type TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AgentRunContext, CacheResult, OnDemandAgent, OnDemandResult, PendingOnDemandRequest, ProviderCache } from '@stratus/plugin-api';
import { serverGroupAgentTypes, ServerGroupOnDemand } from '@stratus/provider-kit';
import { Keys, parseKey, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';
import { buildServerGroupResults, type ServerGroupCacheResults } from './server-group-data.js';
import { describeScaling } from './scaling-data.js';

/** Describe calls accept at most this many ARNs / names at once. */
const TARGET_GROUP_BATCH = 20;

// An ASG also names its launch template or configuration and its target groups, which its cluster links to.
const TYPES = serverGroupAgentTypes({
  informative: [Types.launchTemplates, Types.launchConfigs, Types.targetGroups],
  clusterEdges: [Types.targetGroups],
});

/**
 * Caches Auto Scaling groups as server groups (authoritative) and contributes clusters and
 * applications (informative: clusters span regions, so eviction is the cleanup agent's job). Also
 * the on-demand agent for `ServerGroup`, with the two-phase protocol of docs/architecture.md, "On-demand refresh".
 */
export class AwsServerGroupCachingAgent extends AwsCachingAgent implements OnDemandAgent {
  readonly providedDataTypes = TYPES.providedDataTypes;
  readonly onDemandAgentType: string;
  private readonly onDemand: ServerGroupOnDemand;

  constructor(
    options: AwsAgentOptions,
    private readonly now: () => number = Date.now,
  ) {
    // The type string is Clouddriver's and is persisted (scheduler locks, cache source bookkeeping,
    // on-demand records), so the class name changed but the agent type did not.
    super(options, 'ClusterCachingAgent');
    this.onDemand = new ServerGroupOnDemand(this, {
      parseKey,
      siblingEdges: TYPES.siblingEdges,
      nameFields: ['serverGroupName', 'asgName'],
      accountFields: ['account', 'credentials'],
      now,
    });
    this.onDemandAgentType = this.onDemand.onDemandAgentType;
  }

  /** `aws:serverGroups:*:<account>:<region>:*`: the ids this agent owns. */
  cacheKeyPatterns(): Record<string, string> {
    return { [Types.serverGroups]: this.onDemand.glob };
  }

  async loadData(providerCache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const fetchStartMs = this.now();
    const options = { abortSignal: context?.signal };
    const groups = await collectPages(
      paginateDescribeAutoScalingGroups({ client: this.aws.autoScaling, pageSize: this.pageSize(100) }, {}, options),
      (p) => p.AutoScalingGroups,
    );
    const scaling = await describeScaling(this.aws, undefined, context?.signal);
    const results = buildServerGroupResults(
      this.account.name,
      this.region,
      groups,
      await this.targetGroupsFor(groups, context?.signal),
      scaling,
      await this.subnetVpcs(providerCache),
    );

    return this.onDemand.merge(providerCache, results, fetchStartMs, { serverGroups: groups.length });
  }

  /** One bulk (batched) DescribeTargetGroups for every ARN the groups use, never one call per group. */
  private async targetGroupsFor(groups: readonly AutoScalingGroup[], signal?: AbortSignal): Promise<Map<string, TargetGroup>> {
    const arns = [...new Set(groups.flatMap((g) => g.TargetGroupARNs ?? []))];
    const byArn = new Map<string, TargetGroup>();
    for (let i = 0; i < arns.length; i += TARGET_GROUP_BATCH) {
      const batch = arns.slice(i, i + TARGET_GROUP_BATCH);
      try {
        const found = await collectPages(
          paginateDescribeTargetGroups({ client: this.aws.elbv2 }, { TargetGroupArns: batch }, { abortSignal: signal }),
          (p) => p.TargetGroups,
        );
        for (const tg of found) if (tg.TargetGroupArn) byArn.set(tg.TargetGroupArn, tg);
      } catch {
        signal?.throwIfAborted();
        // A deleted target group fails the whole batch; fall back to names parsed from the ARNs.
      }
    }
    return byArn;
  }

  /** The VPC of each subnet of this account and region, from the subnet agent's cache. */
  private async subnetVpcs(providerCache: ProviderCache): Promise<Map<string, string>> {
    const ids = await providerCache.filterIdentifiers(Types.subnets, `aws:subnets:*:${this.account.name}:${this.region}`);
    const subnets = await providerCache.getAllByIds(Types.subnets, ids, { relationshipPrefixes: [] });
    return new Map(subnets.filter((s) => typeof s.attributes.vpcId === 'string').map((s) => [s.attributes.subnetId as string, s.attributes.vpcId as string]));
  }

  // ---- on-demand ----

  handles(type: string, cloudProvider: string): boolean {
    return this.onDemand.handles(type, cloudProvider);
  }

  /** Describes one ASG live; found → record + result, gone → evictions. `undefined` when not ours. */
  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = this.onDemand.nameOf(data);
    if (name === undefined) return undefined;
    const results = await this.describeOne(name, await this.subnetVpcs(providerCache));
    const key = Keys.serverGroup(this.account.name, this.region, name);
    return results ? this.onDemand.stored(providerCache, { key, name, results }) : this.onDemand.gone(providerCache, [key]);
  }

  /** The cache items for one ASG, or `undefined` when it does not exist (or is being deleted). */
  async describeOne(name: string, vpcOfSubnet?: ReadonlyMap<string, string>): Promise<ServerGroupCacheResults | undefined> {
    const out = await this.aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const groups = (out.AutoScalingGroups ?? []).filter((g) => g.AutoScalingGroupName === name && !g.Status?.startsWith('Delete'));
    if (groups.length === 0) return undefined;
    const arns = groups[0]!.TargetGroupARNs ?? [];
    const byArn = new Map<string, TargetGroup>();
    if (arns.length > 0) {
      try {
        const tgs = await this.aws.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns }));
        for (const tg of tgs.TargetGroups ?? []) if (tg.TargetGroupArn) byArn.set(tg.TargetGroupArn, tg);
      } catch {
        // names parsed from ARNs are good enough
      }
    }
    return buildServerGroupResults(this.account.name, this.region, groups, byArn, await describeScaling(this.aws, name), vpcOfSubnet);
  }

  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return this.onDemand.pending(providerCache);
  }
}
