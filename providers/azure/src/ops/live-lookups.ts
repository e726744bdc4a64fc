import type { VirtualMachineScaleSet } from '@azure/arm-compute';
import type { NetworkSecurityGroup } from '@azure/arm-network';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { collect } from '../caching/azure-agent.js';
import { nextSequence as nextSequenceAmong } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/provider-kit';
import { azureCall } from '../azure-errors.js';
import type { FrontendKind } from '../caching/server-group-data.js';
import { named } from '../plain.js';
import type { TrafficTarget } from './load-balancer-membership.js';

/** Every lookup takes the operation's abort signal, so a cancelled operation stops calling Azure. */
const inRegion = (resource: { location?: string }, region: string) => (resource.location ?? '').toLowerCase().replace(/\s/g, '') === region;

/** The scale set `name` in `region`, wherever its resource group is; throws when there is none. */
export async function requireScaleSet(
  clients: AzureAccountClients,
  region: string,
  name: string,
  signal?: AbortSignal,
): Promise<VirtualMachineScaleSet & { name: string }> {
  const sets = await azureCall('Listing scale sets', () =>
    collect(clients.compute.virtualMachineScaleSets.listAll(definedOnly({ abortSignal: signal })), signal),
  );
  const found = sets.filter(named).find((s) => s.name === name && inRegion(s, region));
  if (!found) throw new Error(`Server group ${name} does not exist in ${region}`);
  return found;
}

/** The next push sequence of a cluster: one more than the highest `vNNN` among the subscription's scale sets (0 for a new cluster). */
export async function nextSequence(clients: AzureAccountClients, cluster: string, signal?: AbortSignal): Promise<number> {
  const sets = await azureCall('Listing scale sets', () =>
    collect(clients.compute.virtualMachineScaleSets.listAll(definedOnly({ abortSignal: signal })), signal),
  );
  return nextSequenceAmong(
    sets.map((s) => s.name ?? ''),
    cluster,
  );
}

/**
 * The load balancer or application gateway `name` in `region` (of `kind` when given, else a load
 * balancer first); throws when there is none.
 */
export async function requireTrafficTarget(
  clients: AzureAccountClients,
  region: string,
  name: string,
  kind?: FrontendKind,
  signal?: AbortSignal,
): Promise<TrafficTarget> {
  if (kind !== 'applicationGateway') {
    const all = await azureCall('Listing load balancers', () => collect(clients.network.loadBalancers.listAll(definedOnly({ abortSignal: signal })), signal));
    const found = all.filter(named).find((lb) => lb.name === name && inRegion(lb, region));
    if (found) return { kind: 'loadBalancer', resource: found };
  }
  if (kind !== 'loadBalancer') {
    const all = await azureCall('Listing application gateways', () =>
      collect(clients.network.applicationGateways.listAll(definedOnly({ abortSignal: signal })), signal),
    );
    const found = all.filter(named).find((gw) => gw.name === name && inRegion(gw, region));
    if (found) return { kind: 'applicationGateway', resource: found };
  }
  const what = kind === 'applicationGateway' ? 'Application gateway' : kind === 'loadBalancer' ? 'Load balancer' : 'Load balancer or application gateway';
  throw new Error(`${what} ${name} does not exist in ${region}`);
}

/** The network security group `name` in `region`, or undefined. */
export async function findSecurityGroup(
  clients: AzureAccountClients,
  region: string,
  name: string,
  signal?: AbortSignal,
): Promise<NetworkSecurityGroup | undefined> {
  const all = await azureCall('Listing network security groups', () =>
    collect(clients.network.networkSecurityGroups.listAll(definedOnly({ abortSignal: signal })), signal),
  );
  return all.find((g) => g.name === name && inRegion(g, region));
}

/** The id of subnet `subnet` of virtual network `vnet` in `region`; throws when either is missing. */
export async function requireSubnetId(clients: AzureAccountClients, region: string, vnet: string, subnet: string, signal?: AbortSignal): Promise<string> {
  const all = await azureCall('Listing virtual networks', () => collect(clients.network.virtualNetworks.listAll(definedOnly({ abortSignal: signal })), signal));
  const network = all.find((v) => v.name === vnet && inRegion(v, region));
  if (!network) throw new Error(`Virtual network ${vnet} does not exist in ${region}`);
  const found = (network.subnets ?? []).find((s: { name?: string }) => s.name === subnet);
  if (!found?.id) throw new Error(`Subnet ${subnet} does not exist in virtual network ${vnet}`);
  return found.id;
}
