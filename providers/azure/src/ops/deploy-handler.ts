import type { OperationTask } from '@stratus/plugin-api';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import type { FrontendKind } from '../caching/server-group-data.js';
import { azureCall } from '../azure-errors.js';
import { clusterName, serverGroupName } from '@stratus/plugin-api';
import { ensurePool, routeRulesTo } from './load-balancer-membership.js';
import { findSecurityGroup, nextSequence, requireSubnetId, requireTrafficTarget } from './live-lookups.js';

/** Clouddriver's task phase for deploys. */
export const DEPLOY_PHASE = 'DEPLOY';

/** A marketplace image (`publisher`/`offer`/`sku`/`version`) or a custom one (`uri`: a managed image id). */
export interface ImageSpec {
  readonly isCustom?: boolean;
  readonly uri?: string;
  readonly publisher?: string;
  readonly offer?: string;
  readonly sku?: string;
  readonly version?: string;
}

/** Everything a deploy needs, resolved from a create or clone description. */
export interface DeploySpec {
  readonly account: AzureAccount;
  readonly region: string;
  readonly resourceGroup: string;
  readonly application: string;
  readonly stack?: string | undefined;
  readonly detail?: string | undefined;
  readonly instanceType: string;
  readonly skuTier?: string | undefined;
  readonly capacity: number;
  readonly image: ImageSpec;
  readonly adminUserName: string;
  readonly adminPassword?: string | undefined;
  readonly customData?: string | undefined;
  /** A load balancer or application gateway name. */
  readonly loadBalancerName?: string | undefined;
  /** What `loadBalancerName` names, when the description says (else a load balancer is looked for first). */
  readonly loadBalancerKind?: FrontendKind | undefined;
  readonly securityGroupName?: string | undefined;
  readonly vnet?: string | undefined;
  readonly subnet?: string | undefined;
  readonly zones: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** Leave the new group out of the load balancer's rules (it joins the pool, takes no traffic). */
  readonly disabled?: boolean | undefined;
}

function imageReference(image: ImageSpec): Record<string, string> {
  if (image.isCustom || image.uri) return { id: image.uri! };
  return { publisher: image.publisher!, offer: image.offer!, sku: image.sku!, version: image.version ?? 'latest' };
}

/**
 * Creates the next `vNNN` scale set of the cluster (Clouddriver's `DeployAzureServerGroupAtomicOperation`):
 * a backend pool named after the group on the load balancer or application gateway, the scale set
 * joined to it, then the frontend's rules routed to it unless `disabled`. Every long-running operation is awaited.
 * Returns the new group's name.
 */
export async function deployScaleSet(clients: AzureAccountClients, spec: DeploySpec, task: OperationTask, signal: AbortSignal): Promise<string> {
  const cluster = clusterName(spec.application, spec.stack, spec.detail);
  const name = serverGroupName(cluster, await nextSequence(clients, cluster, signal));
  await task.updateStatus(DEPLOY_PHASE, `Deploying ${name} to ${spec.account.name}/${spec.region} in resource group ${spec.resourceGroup}`);
  const lro = { ...clients.pollOptions, abortSignal: signal };

  const frontend = spec.loadBalancerName ? await requireTrafficTarget(clients, spec.region, spec.loadBalancerName, spec.loadBalancerKind, signal) : undefined;
  const poolIds = frontend ? [await ensurePool(clients, frontend, name, task, DEPLOY_PHASE, signal)] : [];
  const poolField = frontend?.kind === 'applicationGateway' ? 'applicationGatewayBackendAddressPools' : 'loadBalancerBackendAddressPools';
  const nsg = spec.securityGroupName ? await findSecurityGroup(clients, spec.region, spec.securityGroupName, signal) : undefined;
  if (spec.securityGroupName && !nsg) throw new Error(`Network security group ${spec.securityGroupName} does not exist in ${spec.region}`);
  const subnetId = spec.vnet && spec.subnet ? await requireSubnetId(clients, spec.region, spec.vnet, spec.subnet, signal) : undefined;

  const scaleSet = {
    location: spec.region,
    sku: { name: spec.instanceType, ...(spec.skuTier ? { tier: spec.skuTier } : {}), capacity: spec.capacity },
    tags: {
      ...spec.tags,
      appName: spec.application,
      cluster,
      ...(spec.stack ? { stack: spec.stack } : {}),
      ...(spec.detail ? { detail: spec.detail } : {}),
      ...(frontend ? { [frontend.kind === 'applicationGateway' ? 'appGatewayName' : 'loadBalancerName']: frontend.resource.name as string } : {}),
    },
    ...(spec.zones.length > 0 ? { zones: [...spec.zones] } : {}),
    upgradePolicy: { mode: 'Manual' as const },
    virtualMachineProfile: {
      osProfile: {
        // Computer names are at most 15 characters on Windows; Clouddriver uses the group name, trimmed.
        computerNamePrefix: name.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 9),
        adminUsername: spec.adminUserName,
        ...(spec.adminPassword ? { adminPassword: spec.adminPassword } : {}),
        ...(spec.customData ? { customData: Buffer.from(spec.customData).toString('base64') } : {}),
      },
      storageProfile: { imageReference: imageReference(spec.image), osDisk: { createOption: 'FromImage' } },
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: `${name}-nic`,
            primary: true,
            ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
            ipConfigurations: [
              {
                name: `${name}-ipconfig`,
                ...(subnetId ? { subnet: { id: subnetId } } : {}),
                [poolField]: poolIds.map((id) => ({ id })),
              },
            ],
          },
        ],
      },
    },
  };
  await task.updateStatus(DEPLOY_PHASE, `Creating scale set ${name} (${spec.instanceType} x ${spec.capacity})`);
  await azureCall(`Creating scale set ${name}`, () =>
    clients.compute.virtualMachineScaleSets.beginCreateOrUpdateAndWait(spec.resourceGroup, name, scaleSet as never, lro),
  );
  if (frontend && !spec.disabled) {
    // Read it again: adding the pool changed it.
    const current = await requireTrafficTarget(clients, spec.region, frontend.resource.name, frontend.kind, signal);
    await routeRulesTo(clients, current, name, task, DEPLOY_PHASE, signal);
  }
  await task.updateStatus(DEPLOY_PHASE, `Done creating server group ${name} in ${spec.region}`);
  return name;
}
