import type {
  ImageReference,
  VirtualMachineScaleSet,
  VirtualMachineScaleSetIPConfiguration,
  VirtualMachineScaleSetNetworkConfiguration,
  VirtualMachineScaleSetVM,
} from '@azure/arm-compute';
import type { Frontend, ImagedScaleSet, NetworkedScaleSet, PlainScaleSetVm } from '../azure-types.js';
import { cacheData, monikerOf, parseServerGroupName, type CacheData } from '@stratus/plugin-api';
import { ServerGroupIndex } from '@stratus/provider-kit';
import { Keys, Types } from '../keys.js';
import { epochMs, lastSegment, named, resourceGroupOf, segmentAfter, toPlain } from '../plain.js';

export type ServerGroupCacheResults = Record<string, CacheData[]>;

/** A scale set with its VMs (SDK models). */
export interface ScaleSetWithVms {
  readonly scaleSet: VirtualMachineScaleSet;
  readonly vms: readonly VirtualMachineScaleSetVM[];
}

/** Platform health from a VM's provisioning and power state (Clouddriver's `AzureInstance` health). */
export function azureHealth(vm: Pick<PlainScaleSetVm, 'instanceView' | 'provisioningState'>): {
  type: string;
  healthClass: string;
  state: string;
  powerState?: string;
  provisioningState?: string;
} {
  const statuses = vm.instanceView?.statuses ?? [];
  const power = statuses.find((s) => s.code?.startsWith('PowerState/'))?.code?.slice('PowerState/'.length);
  const provisioning: string | undefined = vm.provisioningState;
  let state = 'Unknown';
  if (provisioning === 'Failed') state = 'Failed';
  else if (provisioning === 'Creating' || power === 'starting') state = 'Starting';
  else if (power === 'running') state = 'Up';
  else if (power !== undefined) state = 'Down';
  return {
    type: 'Azure',
    healthClass: 'platform',
    state,
    ...(power ? { powerState: power } : {}),
    ...(provisioning ? { provisioningState: provisioning } : {}),
  };
}

/** The two kinds of Azure traffic frontends a scale set can sit behind. */
export type FrontendKind = 'loadBalancer' | 'applicationGateway';

/** A backend pool a scale set's NIC joins: of a load balancer or an application gateway. */
export interface BackendPoolRef {
  readonly kind: FrontendKind;
  /** The load balancer's or application gateway's name. */
  readonly loadBalancer: string;
  readonly pool: string;
  readonly id: string;
}

/** `<kind>:<name>` in lower case: how the region's frontends are looked up. */
export const frontendKey = (kind: FrontendKind, name: string) => `${kind}:${name.toLowerCase()}`;

/** What a scale set's primary NIC configuration references: backend pools, subnet, security group. */
export function networkOf(scaleSet: NetworkedScaleSet): { pools: BackendPoolRef[]; subnetId?: string; securityGroup?: string } {
  const nics = scaleSet.virtualMachineProfile?.networkProfile?.networkInterfaceConfigurations ?? [];
  const nic: VirtualMachineScaleSetNetworkConfiguration | undefined = nics.find((n) => n.primary) ?? nics[0];
  const ip: VirtualMachineScaleSetIPConfiguration | undefined = (nic?.ipConfigurations ?? [])[0];
  const refs = (list: { id?: string }[] | undefined, kind: FrontendKind, parent: string): BackendPoolRef[] =>
    (list ?? []).map((p) => ({ kind, loadBalancer: segmentAfter(p.id, parent) ?? '', pool: lastSegment(p.id), id: p.id! }));
  return {
    pools: [
      ...refs(ip?.loadBalancerBackendAddressPools, 'loadBalancer', 'loadBalancers'),
      ...refs(ip?.applicationGatewayBackendAddressPools, 'applicationGateway', 'applicationGateways'),
    ],
    ...(ip?.subnet?.id ? { subnetId: ip.subnet.id } : {}),
    ...(nic?.networkSecurityGroup?.id ? { securityGroup: lastSegment(nic.networkSecurityGroup.id) } : {}),
  };
}

/**
 * Whether a scale set serves traffic: it is behind a frontend when one of its backend pools is the
 * target of a load balancing rule (load balancer) or request routing rule (application gateway);
 * enable and disable repoint the rules, as Clouddriver does. A group in no pool is never disabled.
 * `frontends` holds the region's load balancers and gateways by {@link frontendKey}.
 */
export function isDisabled(scaleSet: NetworkedScaleSet, frontends: ReadonlyMap<string, Frontend>): boolean {
  const pools = networkOf(scaleSet).pools;
  if (pools.length === 0) return false;
  return !pools.some(({ kind, loadBalancer, id }) => {
    const frontend = frontends.get(frontendKey(kind, loadBalancer));
    const rules =
      (frontend && 'loadBalancingRules' in frontend
        ? frontend.loadBalancingRules
        : frontend && 'requestRoutingRules' in frontend
          ? frontend.requestRoutingRules
          : undefined) ?? [];
    return rules.some((rule) => rule.backendAddressPool?.id?.toLowerCase() === id.toLowerCase());
  });
}

/** The image a scale set runs: a marketplace reference or a custom image id. */
export function imageOf(scaleSet: ImagedScaleSet): Record<string, unknown> {
  const ref: ImageReference = scaleSet.virtualMachineProfile?.storageProfile?.imageReference ?? {};
  if (ref.id) return { isCustom: true, uri: ref.id, imageName: lastSegment(ref.id) };
  return { isCustom: false, publisher: ref.publisher, offer: ref.offer, sku: ref.sku, version: ref.version };
}

/**
 * Builds the cache items for scale sets (shared by the scheduled run and on-demand refresh):
 * `serverGroups` and `instances` with what the read models need, `clusters` and `applications` with
 * their edges, and relationship-only `loadBalancers` items.
 */
// eslint-disable-next-line max-lines-per-function -- builds every item of a scale set in one pass (server group, instances, cluster, application and their edges); to split after the dedupe merge (another helper is rewriting providers' caching/ now)
export function buildServerGroupResults(
  sets: readonly ScaleSetWithVms[],
  account: string,
  region: string,
  frontends: ReadonlyMap<string, Frontend>,
): ServerGroupCacheResults {
  const serverGroups: CacheData[] = [];
  const instances: CacheData[] = [];
  const index = new ServerGroupIndex([Types.loadBalancers], [Types.loadBalancers]);

  for (const { scaleSet: raw, vms } of sets) {
    const vmss = toPlain(raw);
    const name = vmss.name;
    if (!name) continue;
    const names = parseServerGroupName(name);
    const sgKey = Keys.serverGroup(account, region, name);
    const clusterKey = Keys.cluster(account, names.app, names.cluster);
    const appKey = Keys.application(names.app);
    const net = networkOf(vmss);
    const loadBalancerNames = [...new Set(net.pools.map((p) => p.loadBalancer))];
    const lbKeys = loadBalancerNames.map((lb) => Keys.loadBalancer(account, region, lb));
    const disabled = isDisabled(vmss, frontends);
    const desired = vmss.sku?.capacity ?? 0;
    const tags: Record<string, string> = vmss.tags ?? {};
    const instanceKeys: string[] = [];

    for (const rawVm of vms.filter(named)) {
      const vm = toPlain(rawVm);
      const key = Keys.instance(account, region, vm.name);
      instanceKeys.push(key);
      const health: Record<string, unknown>[] = [azureHealth(vm)];
      if (loadBalancerNames.length > 0)
        health.push({
          type: 'LoadBalancer',
          state: disabled ? 'OutOfService' : 'Up',
          loadBalancers: loadBalancerNames.map((lb) => ({ loadBalancerName: lb, state: disabled ? 'OutOfService' : 'InService' })),
        });
      instances.push(
        cacheData(
          key,
          {
            name: vm.name,
            instanceId: vm.instanceId,
            vmId: vm.vmId,
            account,
            region,
            resourceGroup: resourceGroupOf(vm.id ?? vmss.id),
            serverGroup: name,
            // Which application's views a change of this VM touches (the cache's application index).
            application: names.app,
            instanceType: vmss.sku?.name,
            provisioningState: vm.provisioningState,
            computerName: vm.osProfile?.computerName,
            launchTime: epochMs(vm.timeCreated) ?? epochMs(vmss.timeCreated),
            latestModelApplied: vm.latestModelApplied,
            health,
          },
          { [Types.serverGroups]: [sgKey] },
        ),
      );
    }

    const related = { [Types.applications]: [appKey], [Types.clusters]: [clusterKey], [Types.instances]: instanceKeys, [Types.loadBalancers]: lbKeys };
    serverGroups.push(
      index.serverGroupItem(
        { serverGroupKey: sgKey, clusterKey, applicationKey: appKey, account, names, name, region },
        {
          resourceGroupName: resourceGroupOf(vmss.id),
          vmssId: vmss.id,
          uniqueId: vmss.uniqueId,
          provisioningState: vmss.provisioningState,
          sku: vmss.sku ?? {},
          capacity: { min: desired, max: desired, desired },
          instanceType: vmss.sku?.name,
          image: imageOf(vmss),
          upgradePolicy: vmss.upgradePolicy?.mode,
          zones: vmss.zones ?? [],
          loadBalancerNames,
          loadBalancerPools: net.pools.filter((p) => p.kind === 'loadBalancer').map((p) => p.id),
          appGatewayPools: net.pools.filter((p) => p.kind === 'applicationGateway').map((p) => p.id),
          ...(net.pools.some((p) => p.kind === 'applicationGateway')
            ? { appGatewayName: net.pools.find((p) => p.kind === 'applicationGateway')!.loadBalancer }
            : {}),
          ...(net.subnetId ? { subnetId: net.subnetId, subnet: lastSegment(net.subnetId), vnet: segmentAfter(net.subnetId, 'virtualNetworks') } : {}),
          ...(net.securityGroup ? { securityGroupName: net.securityGroup } : {}),
          disabled,
          tags,
          ...(epochMs(vmss.timeCreated) !== undefined ? { createdTime: epochMs(vmss.timeCreated) } : {}),
          instanceNames: vms.map((vm) => vm.name as string),
          moniker: monikerOf(name),
        },
        related,
      ),
    );
  }

  return {
    [Types.serverGroups]: serverGroups,
    [Types.instances]: instances,
    [Types.clusters]: index.clusterItems(),
    [Types.applications]: index.applicationItems(),
    [Types.loadBalancers]: index.relatedItems(Types.loadBalancers),
  };
}
