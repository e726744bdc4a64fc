import type { CacheData, HealthState, InstanceCounts, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { monikerOf } from '@stratus/plugin-api';
import { AZURE } from '../keys.js';

/** The state Deck shows from health entries: any Down/Failed wins, then OutOfService, Starting, all Up. */
export function healthStateOf(health: readonly Record<string, unknown>[]): HealthState {
  const states = health.map((h) => h.state as string);
  if (states.length === 0) return 'Unknown';
  if (states.includes('Failed')) return 'Failed';
  if (states.includes('Down')) return 'Down';
  if (states.includes('OutOfService')) return 'OutOfService';
  if (states.includes('Starting')) return 'Starting';
  if (states.every((s) => s === 'Up')) return 'Up';
  return 'Unknown';
}

export function countInstances(instances: readonly InstanceView[]): InstanceCounts {
  const counts = { total: instances.length, up: 0, down: 0, unknown: 0, outOfService: 0, starting: 0 };
  for (const i of instances) {
    if (i.healthState === 'Up') counts.up++;
    else if (i.healthState === 'Down' || i.healthState === 'Failed') counts.down++;
    else if (i.healthState === 'OutOfService' || i.healthState === 'Draining') counts.outOfService++;
    else if (i.healthState === 'Starting') counts.starting++;
    else counts.unknown++;
  }
  return counts;
}

/** Clouddriver's `AzureInstance` JSON from a cached VM. */
export function instanceView(item: CacheData): InstanceView {
  const a = item.attributes;
  const health = (a.health as Record<string, unknown>[]) ?? [];
  const name = a.name as string;
  return {
    ...a,
    name,
    instanceId: name,
    humanReadableName: name,
    healthState: healthStateOf(health),
    launchTime: a.launchTime as number | undefined,
    zone: a.region as string,
    health,
    cloudProvider: AZURE,
    providerType: AZURE,
    account: a.account as string,
    region: a.region as string,
  };
}

/** Clouddriver's `AzureServerGroupDescription` JSON (the fields Deck reads) for cached server groups. */
export function serverGroupView(item: CacheData, instances: readonly CacheData[]): ServerGroupView {
  const a = item.attributes;
  const views = instances.map(instanceView);
  const name = a.name as string;
  const capacity = a.capacity as ServerGroupView['capacity'];
  const image = (a.image as Record<string, unknown>) ?? {};
  return {
    name,
    moniker: monikerOf(name) as ServerGroupView['moniker'],
    type: AZURE,
    cloudProvider: AZURE,
    account: a.account as string,
    accountName: a.account as string,
    region: a.region as string,
    zones: (a.zones as string[]) ?? [],
    resourceGroupName: a.resourceGroupName,
    disabled: a.disabled as boolean,
    isDisabled: a.disabled as boolean,
    createdTime: a.createdTime as number | undefined,
    provisioningState: a.provisioningState,
    instances: views,
    instanceCounts: countInstances(views),
    capacity,
    asg: { minSize: capacity.min, maxSize: capacity.max, desiredCapacity: capacity.desired },
    sku: a.sku,
    instanceType: a.instanceType as string | undefined,
    image,
    launchConfig: { launchConfigurationName: name, instanceType: a.instanceType, image, createdTime: a.createdTime },
    buildInfo: {},
    loadBalancers: (a.loadBalancerNames as string[]) ?? [],
    loadBalancerName: ((a.loadBalancerNames as string[]) ?? [])[0],
    ...(a.appGatewayName ? { appGatewayName: a.appGatewayName } : {}),
    securityGroups: a.securityGroupName ? [a.securityGroupName as string] : [],
    securityGroupName: a.securityGroupName,
    vnet: a.vnet,
    subnet: a.subnet,
    subnetId: a.subnetId,
    upgradePolicy: a.upgradePolicy,
    tags: (a.tags as Record<string, unknown>) ?? {},
    labels: {},
    serverGroupManagers: [],
  } as ServerGroupView;
}
