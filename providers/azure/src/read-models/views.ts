import type { CacheData, HealthState, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { countInstances, healthStateOf as kitHealthStateOf, instanceViewFields, serverGroupViewFields } from '@stratus/provider-kit';
import { AZURE } from '../keys.js';

/** The state Deck shows from health entries: any Failed or Down wins, then OutOfService, Starting, all Up. */
export function healthStateOf(health: readonly Record<string, unknown>[]): HealthState {
  return kitHealthStateOf(health, { failedWins: true });
}

/** Clouddriver's `AzureInstance` JSON from a cached VM. */
export function instanceView(item: CacheData): InstanceView {
  const a = item.attributes;
  const health = (a.health as Record<string, unknown>[]) ?? [];
  const name = a.name as string;
  // `application` is cache bookkeeping (the instance's application index); Clouddriver's instance JSON has none.
  const { application: _a, ...rest } = a;
  return {
    ...rest,
    ...instanceViewFields({ cloudProvider: AZURE, id: name, attributes: a, health, healthState: healthStateOf(health), zone: a.region as string }),
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
    ...serverGroupViewFields(AZURE, item),
    resourceGroupName: a.resourceGroupName,
    provisioningState: a.provisioningState,
    instances: views,
    // Clouddriver's AzureServerGroupDescription counts a Failed VM in total only.
    instanceCounts: countInstances(views, { excludeFailed: true }),
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
