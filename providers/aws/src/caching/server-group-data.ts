import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cacheData, monikerOf, parseServerGroupName, type CacheData } from '@stratus/plugin-api';
import { ServerGroupIndex } from '@stratus/provider-kit';
import { Keys, Types } from '../keys.js';
import { nameFromArn, tagMap, toPlain } from '../plain.js';
import type { ScalingByAsg } from './scaling-data.js';

/** The process whose suspension marks a server group disabled (as Clouddriver does). */
export const DISABLED_PROCESS = 'AddToLoadBalancer';

export type ServerGroupCacheResults = Record<string, CacheData[]>;

/**
 * Builds the cache items for a set of ASGs (shared by the scheduled run and on-demand refresh):
 * `serverGroups` with the data the read models need, `clusters` and `applications` with their
 * edges, and relationship-only `instances`, `launchTemplates`, `launchConfigs`, `loadBalancers`
 * and `targetGroups` items.
 */
// eslint-disable-next-line max-lines-per-function -- builds every item of an ASG in one pass (server group, cluster, application and their edges); to split later (the cluster/application bookkeeping already lives in the kit's ServerGroupIndex)
export function buildServerGroupResults(
  account: string,
  region: string,
  groups: readonly AutoScalingGroup[],
  targetGroupsByArn: ReadonlyMap<string, TargetGroup>,
  /** Scaling policies and scheduled actions by ASG name; absent = none described. */
  scaling?: ScalingByAsg,
  /** The VPC of each cached subnet: an ASG's VPC names its classic load balancers' keys, as in Clouddriver. */
  vpcOfSubnet: ReadonlyMap<string, string> = new Map(),
): ServerGroupCacheResults {
  const serverGroups: CacheData[] = [];
  const edgeTypes = ['instances', 'launchTemplates', 'launchConfigs', 'loadBalancers', 'targetGroups'];
  const index = new ServerGroupIndex(['loadBalancers', 'targetGroups'], edgeTypes);

  for (const asg of groups) {
    const name = asg.AutoScalingGroupName;
    if (!name) continue;
    const names = parseServerGroupName(name);
    const sgKey = Keys.serverGroup(account, region, name);
    const clusterKey = Keys.cluster(names.app, account, names.cluster);
    const appKey = Keys.application(names.app);

    const instanceKeys = (asg.Instances ?? []).filter((i) => i.InstanceId).map((i) => Keys.instance(account, region, i.InstanceId!));
    const launchTemplate = asg.LaunchTemplate ?? asg.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
    const launchTemplateKeys = launchTemplate?.LaunchTemplateName ? [Keys.launchTemplate(account, region, launchTemplate.LaunchTemplateName)] : [];
    const launchConfigKeys = asg.LaunchConfigurationName ? [Keys.launchConfig(account, region, asg.LaunchConfigurationName)] : [];
    const asgSubnets = (asg.VPCZoneIdentifier ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const vpcIds = [...new Set(asgSubnets.map((s) => vpcOfSubnet.get(s)).filter((v): v is string => !!v))];
    const vpcId = vpcIds.length === 1 ? vpcIds[0] : undefined;
    const loadBalancerKeys = (asg.LoadBalancerNames ?? []).map((lb) => Keys.loadBalancer(account, region, lb, vpcId));
    const targetGroupNames: string[] = [];
    const targetGroupKeys: string[] = [];
    for (const arn of asg.TargetGroupARNs ?? []) {
      const tg = targetGroupsByArn.get(arn);
      const tgName = tg?.TargetGroupName ?? nameFromArn(arn);
      targetGroupNames.push(tgName);
      targetGroupKeys.push(Keys.targetGroup(account, region, tgName, tg?.TargetType ?? 'instance', tg?.VpcId));
    }
    const suspended = (asg.SuspendedProcesses ?? []).map((p) => p.ProcessName).filter((p): p is string => !!p);
    const subnetIds = (asg.VPCZoneIdentifier ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);

    const related = {
      applications: [appKey],
      clusters: [clusterKey],
      instances: instanceKeys,
      launchTemplates: launchTemplateKeys,
      launchConfigs: launchConfigKeys,
      loadBalancers: loadBalancerKeys,
      targetGroups: targetGroupKeys,
    };
    serverGroups.push(
      cacheData(
        sgKey,
        {
          name,
          application: names.app,
          cluster: names.cluster,
          account,
          region,
          asg: toPlain(asg),
          ...(launchTemplate ? { launchTemplateSpecification: toPlain(launchTemplate) } : {}),
          ...(asg.LaunchConfigurationName ? { launchConfigName: asg.LaunchConfigurationName } : {}),
          disabled: suspended.includes(DISABLED_PROCESS),
          suspendedProcesses: suspended,
          createdTime: asg.CreatedTime?.getTime(),
          capacity: { min: asg.MinSize ?? 0, max: asg.MaxSize ?? 0, desired: asg.DesiredCapacity ?? 0 },
          zones: asg.AvailabilityZones ?? [],
          subnetIds,
          tags: tagMap(asg.Tags),
          instanceIds: (asg.Instances ?? []).map((i) => i.InstanceId).filter(Boolean),
          loadBalancerNames: asg.LoadBalancerNames ?? [],
          targetGroupNames,
          targetGroupArns: asg.TargetGroupARNs ?? [],
          ...(vpcId ? { vpcId } : {}),
          moniker: monikerOf(name),
          scalingPolicies: scaling?.get(name)?.scalingPolicies ?? [],
          scheduledActions: scaling?.get(name)?.scheduledActions ?? [],
        },
        related,
      ),
    );
    index.add({ serverGroupKey: sgKey, clusterKey, applicationKey: appKey, account, names }, related);
  }

  const result: ServerGroupCacheResults = {
    [Types.serverGroups]: serverGroups,
    [Types.clusters]: index.clusterItems(),
    [Types.applications]: index.applicationItems(),
  };
  for (const type of edgeTypes) result[type] = index.relatedItems(type);
  return result;
}
