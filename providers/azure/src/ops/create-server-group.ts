import type { OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { AzureAccountRegistry } from '../accounts/azure-account-registry.js';
import { imageOf, networkOf, type FrontendKind } from '../caching/server-group-data.js';
import { parseServerGroupName } from '@stratus/plugin-api';
import {
  cloneServerGroupDefinition,
  createServerGroupDefinition,
  objectFieldOf,
  validateDeployNames,
  type DeployNameRules,
  type DeployDescription,
  type DeploymentResult,
  emptyDeploymentResult,
  recordDeployment,
  startClone,
} from '@stratus/provider-kit';
import { lastSegment, resourceGroupOf, segmentAfter } from '../plain.js';
import type { AzureOperationDeps } from './azure-operation-deps.js';
import { DEPLOY_PHASE, deployScaleSet, type DeploySpec, type ImageSpec } from './deploy-handler.js';
import {
  desiredSizeOf,
  optString,
  regionOf,
  str,
  stringList,
  validateAccount,
  validateName,
  validateRegion,
  validateResourceGroup,
  validateSize,
  validateStringMap,
} from './description.js';
import { requireScaleSet } from './live-lookups.js';
import { refreshRegion } from './cache-refresher.js';

export { type DeploymentResult } from '@stratus/provider-kit';

/** Orca's Azure deploy description (Clouddriver's `AzureServerGroupDescription`): every field as sent. */
export type CreateServerGroupDescription = DeployDescription;

/** Deck sends the detail as `detail` or `freeFormDetails`. */
const NAMES: DeployNameRules = {
  application: /^[a-zA-Z][a-zA-Z0-9]*$/,
  applicationSays: 'must be letters and digits, starting with a letter',
  stack: /^[a-zA-Z0-9]*$/,
  stackSays: 'letters and digits',
  detail: /^[a-zA-Z0-9-]*$/,
  detailSays: 'letters, digits and dashes',
  detailFields: ['detail', 'freeFormDetails'],
};
const VM_SIZE = /^[A-Za-z][A-Za-z0-9_]+$/;

const LOAD_BALANCER_TYPES: Record<string, FrontendKind> = { 'Azure Load Balancer': 'loadBalancer', 'Azure Application Gateway': 'applicationGateway' };

/** The frontend a description names: `appGatewayName`, else `loadBalancerName` (of `loadBalancerType` when given). */
function frontendOf(d: Record<string, unknown>): { loadBalancerName?: string; loadBalancerKind?: FrontendKind } {
  if (optString(d.appGatewayName)) return { loadBalancerName: d.appGatewayName as string, loadBalancerKind: 'applicationGateway' };
  if (!optString(d.loadBalancerName)) return {};
  const kind = LOAD_BALANCER_TYPES[str(d.loadBalancerType)];
  return { loadBalancerName: d.loadBalancerName as string, ...(kind ? { loadBalancerKind: kind } : {}) };
}

/** `detail`, else `freeFormDetails` (Deck sends either). */
const detailOf = (d: Record<string, unknown>) => optString(d.detail) ?? optString(d.freeFormDetails);

function validateImage(errors: ValidationErrors, image: unknown, required: boolean): void {
  const i = objectFieldOf(errors, image, {
    required,
    empty: ['image', 'image {publisher, offer, sku, version} or {isCustom: true, uri} is required'],
    invalid: ['image', 'image must be an object'],
  });
  if (!i) return;
  if (i.isCustom === true || i.uri !== undefined) {
    if (!optString(i.uri)) errors.reject('image.uri', 'empty', 'image.uri (the managed image id) is required for a custom image');
    return;
  }
  for (const field of ['publisher', 'offer', 'sku'])
    if (!optString(i[field])) errors.reject(`image.${field}`, 'empty', `image.${field} is required for a marketplace image`);
}

/** Field checks shared by create and clone; `full` when every deploy field must be present (create). */
export function validateDeployFields(d: CreateServerGroupDescription, errors: ValidationErrors, accounts: AzureAccountRegistry, full: boolean): void {
  const account = validateAccount(errors, accounts, d.credentials);
  validateDeployNames(errors, d, NAMES, full);
  if (full || d.region !== undefined || d.regions !== undefined) validateRegion(errors, account, regionOf(d));
  validateResourceGroup(errors, d.resourceGroupName);
  validateSize(errors, d, full);
  validateImage(errors, d.image, full);
  const sku = d.sku as Record<string, unknown> | undefined;
  if (sku !== undefined && (typeof sku !== 'object' || sku === null)) errors.reject('sku', 'invalid', 'sku must be an object {name, tier, capacity}');
  else if (full && !optString(sku?.name) && !optString(d.instanceType))
    errors.reject('sku.name', 'empty', 'sku.name (the VM size, e.g. Standard_B1s) is required');
  const size = optString(sku?.name) ?? optString(d.instanceType);
  if (size !== undefined && !VM_SIZE.test(size)) errors.reject('sku.name', 'invalid', 'sku.name must be a VM size such as Standard_B1s');
  const os = d.osConfig as Record<string, unknown> | undefined;
  if (os !== undefined && (typeof os !== 'object' || os === null))
    errors.reject('osConfig', 'invalid', 'osConfig must be an object {adminUserName, adminPassword}');
  else if (full && !optString(os?.adminUserName)) errors.reject('osConfig.adminUserName', 'empty', 'osConfig.adminUserName is required');
  if (os?.adminPassword !== undefined && typeof os.adminPassword !== 'string')
    errors.reject('osConfig.adminPassword', 'invalid', 'osConfig.adminPassword must be a string');
  for (const field of ['loadBalancerName', 'appGatewayName', 'securityGroupName', 'vnet', 'subnet']) validateName(errors, d[field], field, false);
  if (d.loadBalancerType !== undefined && !(str(d.loadBalancerType) in LOAD_BALANCER_TYPES))
    errors.reject('loadBalancerType', 'invalid', `loadBalancerType must be one of ${Object.keys(LOAD_BALANCER_TYPES).join(', ')}`);
  if ((d.vnet === undefined) !== (d.subnet === undefined)) errors.reject(d.vnet === undefined ? 'vnet' : 'subnet', 'empty', 'vnet and subnet go together');
  if (d.zones !== undefined && (!Array.isArray(d.zones) || d.zones.some((z) => typeof z !== 'string')))
    errors.reject('zones', 'invalid', 'zones must be a list of zone numbers such as "1"');
  validateStringMap(errors, d.instanceTags, 'instanceTags');
}

/** Clouddriver's `createServerGroup` on Azure: one virtual machine scale set in the region's resource group. */
export function createServerGroupOperation(deps: AzureOperationDeps): OperationDefinition<CreateServerGroupDescription> {
  return createServerGroupDefinition({
    accounts: deps.accounts,
    validate: (d, errors) => validateDeployFields(d, errors, deps.accounts, true),
    async create(d, account, context) {
      const region = regionOf(d);
      await context.task.updateStatus(DEPLOY_PHASE, `Initializing deployment of ${d.application} to ${account.name}/${region}`);
      const sku = (d.sku as Record<string, unknown> | undefined) ?? {};
      const os = (d.osConfig as Record<string, unknown> | undefined) ?? {};
      const spec: DeploySpec = {
        account,
        region,
        resourceGroup: optString(d.resourceGroupName) ?? account.defaultResourceGroup,
        application: d.application as string,
        ...(optString(d.stack) ? { stack: d.stack as string } : {}),
        ...(detailOf(d) ? { detail: detailOf(d)! } : {}),
        instanceType: (optString(sku.name) ?? optString(d.instanceType))!,
        ...(optString(sku.tier) ? { skuTier: sku.tier as string } : {}),
        capacity: desiredSizeOf(d) as number,
        image: d.image as ImageSpec,
        adminUserName: os.adminUserName as string,
        ...(optString(os.adminPassword) ? { adminPassword: os.adminPassword as string } : {}),
        ...(optString(os.customData) ? { customData: os.customData as string } : {}),
        ...frontendOf(d),
        ...(optString(d.securityGroupName) ? { securityGroupName: d.securityGroupName as string } : {}),
        ...(optString(d.vnet) && optString(d.subnet) ? { vnet: d.vnet as string, subnet: d.subnet as string } : {}),
        zones: stringList(d.zones),
        tags: (d.instanceTags as Record<string, string>) ?? {},
        disabled: d.disabled === true,
      };
      const name = await deployScaleSet(deps.clients.forAccount(account), spec, context.task, context.signal);
      await refreshDeployed(deps, account.name, region);
      return resultOf(region, name);
    },
  });
}

function resultOf(region: string, name: string): DeploymentResult {
  const result = emptyDeploymentResult();
  recordDeployment(result, region, name);
  return result;
}

/** After a deploy: the load balancer (its new pool and rules) and every server group of the region (the previous group may have lost the traffic). */
export async function refreshDeployed(deps: AzureOperationDeps, account: string, region: string): Promise<void> {
  await refreshRegion(deps, account, region);
}

/**
 * Copies a server group into the next `vNNN` of its cluster (or of the cluster the description
 * names), taking every field the description leaves out from the source scale set.
 */
export function cloneServerGroupOperation(deps: AzureOperationDeps): OperationDefinition<CreateServerGroupDescription> {
  return cloneServerGroupDefinition({
    cloudLabel: 'Azure',
    accounts: deps.accounts,
    validate: (d, errors) => validateDeployFields(d, errors, deps.accounts, false),
    clone: (d, context) => cloneServerGroup(deps, d, context),
  });
}

async function cloneServerGroup(deps: AzureOperationDeps, d: CreateServerGroupDescription, context: OperationContext): Promise<DeploymentResult> {
  const { source, sourceAccount } = await startClone(deps.accounts, d, context, DEPLOY_PHASE);
  const sourceName = source.serverGroupName;
  const sourceRegion = source.region;
  const account = deps.accounts.get(d.credentials ?? sourceAccount.name) ?? sourceAccount;
  const vmss = await requireScaleSet(deps.clients.forAccount(sourceAccount), sourceRegion, sourceName, context.signal);
  const names = parseServerGroupName(sourceName);
  const net = networkOf(vmss);
  const region = optString(regionOf(d)) ?? sourceRegion;
  const sameRegion = region === sourceRegion && account.name === sourceAccount.name;
  const sku = (d.sku as Record<string, unknown> | undefined) ?? {};
  const os = (d.osConfig as Record<string, unknown> | undefined) ?? {};
  const sourceOs = vmss.virtualMachineProfile?.osProfile ?? {};
  const size = desiredSizeOf(d);
  const image = d.image ? (d.image as ImageSpec) : (imageOf(vmss) as ImageSpec);
  const tags = Object.fromEntries(
    Object.entries((vmss.tags ?? {}) as Record<string, string>).filter(
      ([k]) => !['appName', 'cluster', 'stack', 'detail', 'loadBalancerName', 'appGatewayName'].includes(k),
    ),
  );
  const detail = detailOf(d) ?? names.detail;
  const stack = optString(d.stack) ?? names.stack;
  const sourcePool = sameRegion ? net.pools[0] : undefined;
  const frontend = frontendOf(d).loadBalancerName
    ? frontendOf(d)
    : sourcePool
      ? { loadBalancerName: sourcePool.loadBalancer, loadBalancerKind: sourcePool.kind }
      : {};
  const securityGroupName = optString(d.securityGroupName) ?? (sameRegion ? net.securityGroup : undefined);
  const vnet = optString(d.vnet) ?? (sameRegion ? segmentAfter(net.subnetId, 'virtualNetworks') : undefined);
  const subnet = optString(d.subnet) ?? (sameRegion && net.subnetId ? lastSegment(net.subnetId) : undefined);
  const adminUserName = optString(os.adminUserName) ?? (sourceOs.adminUsername as string | undefined);
  if (!adminUserName) throw new Error(`No admin user: neither the description nor ${sourceName} has one`);
  const spec: DeploySpec = {
    account,
    region,
    resourceGroup: optString(d.resourceGroupName) ?? (sameRegion ? resourceGroupOf(vmss.id) : account.defaultResourceGroup),
    application: optString(d.application) ?? names.app,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    instanceType: optString(sku.name) ?? optString(d.instanceType) ?? (vmss.sku?.name as string),
    ...((optString(sku.tier) ?? vmss.sku?.tier) ? { skuTier: optString(sku.tier) ?? vmss.sku?.tier } : {}),
    capacity: typeof size === 'number' ? size : (vmss.sku?.capacity ?? 0),
    image,
    adminUserName,
    ...(optString(os.adminPassword) ? { adminPassword: os.adminPassword as string } : {}),
    ...frontend,
    ...(securityGroupName ? { securityGroupName } : {}),
    ...(vnet && subnet ? { vnet, subnet } : {}),
    zones: Array.isArray(d.zones) ? stringList(d.zones) : sameRegion ? (vmss.zones ?? []) : [],
    tags: { ...tags, ...((d.instanceTags as Record<string, string>) ?? {}) },
    disabled: d.disabled === true,
  };
  const name = await deployScaleSet(deps.clients.forAccount(account), spec, context.task, context.signal);
  await refreshDeployed(deps, account.name, region);
  return resultOf(region, name);
}
