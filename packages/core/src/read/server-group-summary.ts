import type { ClusterView, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { withoutNulls } from './read-support.js';
import { isDisabled } from './target-server-group.js';

/** The fields the summary copies by name from a server group when the provider set them. */
const PASSED_THROUGH = [
  'vpcId',
  'buildInfo',
  'targetGroups',
  'tags',
  'labels',
  'providerMetadata',
  'serverGroupManagers',
  'capacity',
  'instanceCounts',
  'createdTime',
  'moniker',
] as const;

/**
 * One entry of `GET /applications/{app}/serverGroups` without `expand` (Clouddriver's
 * `ServerGroupViewModel`): identity, state, capacity and a slim view of each instance; null fields
 * left out.
 */
export function serverGroupSummary(serverGroup: ServerGroupView, cluster: ClusterView): Record<string, unknown> {
  const launchConfig = serverGroup.launchConfig as { instanceType?: unknown } | undefined;
  const summary: Record<string, unknown> = {
    name: serverGroup.name,
    account: cluster.accountName,
    region: serverGroup.region,
    cluster: cluster.name,
    type: serverGroup.type,
    cloudProvider: serverGroup.cloudProvider,
    instanceType: launchConfig?.instanceType ?? serverGroup.instanceType,
    application: serverGroup.moniker?.app ?? parseServerGroupName(serverGroup.name).app,
    isDisabled: isDisabled(serverGroup),
    instances: (serverGroup.instances ?? []).map(instanceSummary),
    loadBalancers: serverGroup.loadBalancers ?? [],
    securityGroups: serverGroup.securityGroups ?? [],
  };
  for (const field of PASSED_THROUGH) summary[field] = serverGroup[field];
  return withoutNulls(summary);
}

/** A server group with the cluster identity `expand=true` adds (`accountName`, `cluster`, `application`, `stack`, `freeFormDetail`). */
export function expandedServerGroup(serverGroup: ServerGroupView, cluster: ClusterView): Record<string, unknown> {
  const name = parseServerGroupName(cluster.name);
  return withoutNulls({
    ...serverGroup,
    accountName: cluster.accountName,
    account: serverGroup.account ?? cluster.accountName,
    cluster: name.cluster,
    application: cluster.moniker?.app ?? name.app,
    stack: cluster.moniker?.stack ?? name.stack,
    freeFormDetail: cluster.moniker?.detail ?? name.detail,
  });
}

function instanceSummary(instance: InstanceView): Record<string, unknown> {
  // Built field by field rather than through withoutNulls: big applications have tens of thousands of instances.
  const summary: Record<string, unknown> = { id: instance.name, name: instance.name, health: instance.health ?? [] };
  if (instance.healthState != null) summary.healthState = instance.healthState;
  if (instance.launchTime != null) summary.launchTime = instance.launchTime;
  if (instance.zone != null) summary.availabilityZone = instance.zone;
  return summary;
}
