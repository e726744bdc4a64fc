import type { OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import {
  desiredSizeOf,
  isNonNegativeInt,
  optString,
  stringList,
  validateAccount,
  validateName,
  validateRegion,
  validateSize,
  validateStringList,
  validateStringMap,
  validateZone,
} from './description.js';
import { validateAutoscalingPolicy, type AutoscalingPolicy } from './autoscaler.js';
import { DEPLOY_PHASE, deployServerGroup, type DeploySpec } from './deploy-handler.js';
import { resolveImage, zonesOf } from './live-lookups.js';
import {
  createServerGroupDefinition,
  validateDeployNames,
  type DeployNameRules,
  emptyDeploymentResult,
  recordDeployment,
  type DeployDescription,
  type DeploymentResult,
} from '@stratus/provider-kit';

export { type DeploymentResult, recordDeployment } from '@stratus/provider-kit';

/** Orca's GCE deploy description (Clouddriver's `BasicGoogleDeployDescription`): every field as sent. */
export type CreateServerGroupDescription = DeployDescription;

/** GCE names are lower case (resource names are RFC 1035 labels). */
const NAMES: DeployNameRules = {
  application: /^[a-z][a-z0-9]*$/,
  applicationSays: 'must be lower-case letters and digits, starting with a letter (GCE names)',
  stack: /^[a-z0-9]*$/,
  stackSays: 'lower-case letters and digits',
  detail: /^[a-z0-9-]*$/,
  detailSays: 'lower-case letters, digits and dashes',
};

/** Field checks shared by create and clone; `full` when every deploy field must be present (create). */
export function validateDeployFields(d: CreateServerGroupDescription, errors: ValidationErrors, accounts: GceAccountRegistry, full: boolean): void {
  const account = validateAccount(errors, accounts, d.credentials);
  validateDeployNames(errors, d, NAMES, full);
  if (full || d.region !== undefined) validateRegion(errors, account, d.region);
  if (d.regional !== undefined && typeof d.regional !== 'boolean') errors.reject('regional', 'invalid', 'regional must be true or false');
  if (full && d.regional !== true && !d.zone) errors.reject('zone', 'empty', 'zone is required for a zonal server group (or set regional: true)');
  validateZone(errors, d.zone, d.region);
  const distribution = (d.distributionPolicy as Record<string, unknown> | undefined)?.zones;
  validateStringList(errors, distribution, 'distributionPolicy.zones');
  stringList(distribution).forEach((z, i) => validateZone(errors, z, d.region, `distributionPolicy.zones[${i}]`));
  validateSize(errors, d, full);
  if (full && !optString(d.image)) errors.reject('image', 'empty', 'image is required');
  else if (d.image !== undefined && typeof d.image !== 'string') errors.reject('image', 'invalid', 'image must be an image name or URL');
  if (full && !optString(d.instanceType)) errors.reject('instanceType', 'empty', 'instanceType is required');
  else if (d.instanceType !== undefined && (typeof d.instanceType !== 'string' || !/^[a-z0-9-]+$/.test(d.instanceType)))
    errors.reject('instanceType', 'invalid', 'instanceType must be a machine type such as e2-small');
  validateName(errors, d.network, 'network', false);
  validateName(errors, d.subnet, 'subnet', false);
  for (const field of ['loadBalancers', 'backendServices', 'tags', 'authScopes']) validateStringList(errors, d[field], field);
  stringList(d.tags).forEach((t, i) => validateName(errors, t, `tags[${i}]`));
  validateStringMap(errors, d.labels, 'labels');
  validateStringMap(errors, d.instanceMetadata, 'instanceMetadata');
  validateAutoscalingPolicy(errors, d.autoscalingPolicy);
  const disks = d.disks;
  if (disks !== undefined) {
    if (!Array.isArray(disks)) errors.reject('disks', 'invalid', 'disks must be a list of {type, sizeGb}');
    else
      disks.forEach((disk, i) => {
        const size = (disk as Record<string, unknown> | null)?.sizeGb;
        if (size !== undefined && (!isNonNegativeInt(size) || size < 10))
          errors.reject(`disks[${i}].sizeGb`, 'invalid', `disks[${i}].sizeGb must be an integer of at least 10`);
      });
  }
}

/** The boot disk settings of a description (`disks[0]`). */
export function bootDiskOf(d: CreateServerGroupDescription): { diskSizeGb?: number; diskType?: string } {
  const disk = (Array.isArray(d.disks) ? d.disks[0] : undefined) as Record<string, unknown> | undefined;
  return {
    ...(typeof disk?.sizeGb === 'number' ? { diskSizeGb: disk.sizeGb } : {}),
    ...(typeof disk?.type === 'string' ? { diskType: disk.type } : {}),
  };
}

/** Clouddriver's `createServerGroup` on GCE: one managed instance group, zonal or spread over a region's zones. */
export function createServerGroupOperation(deps: GceOperationDeps): OperationDefinition<CreateServerGroupDescription> {
  return createServerGroupDefinition({
    accounts: deps.accounts,
    validate: (d, errors) => validateDeployFields(d, errors, deps.accounts, true),
    async create(d, account, context) {
      const clients = deps.clients.forAccount(account);
      const region = d.region as string;
      const regional = d.regional === true;
      await context.task.updateStatus(DEPLOY_PHASE, `Initializing deployment of ${d.application} to ${account.name}/${region}`);
      const image = await resolveImage(clients, account, d.image as string);
      const distribution = stringList((d.distributionPolicy as Record<string, unknown> | undefined)?.zones);
      const spec: DeploySpec = {
        account,
        region,
        regional,
        ...(regional ? {} : { zone: d.zone as string }),
        distributionZones: regional ? (distribution.length > 0 ? distribution : await zonesOf(clients, account, region)) : [],
        application: d.application as string,
        ...(optString(d.stack) ? { stack: d.stack as string } : {}),
        ...(optString(d.freeFormDetails) ? { freeFormDetails: d.freeFormDetails as string } : {}),
        targetSize: desiredSizeOf(d) as number,
        instanceType: d.instanceType as string,
        image,
        ...bootDiskOf(d),
        network: optString(d.network) ?? 'default',
        ...(optString(d.subnet) ? { subnet: d.subnet as string } : {}),
        tags: stringList(d.tags),
        labels: (d.labels as Record<string, string>) ?? {},
        metadata: (d.instanceMetadata as Record<string, string>) ?? {},
        loadBalancers: stringList(d.loadBalancers),
        backendServices: stringList(d.backendServices),
        associatePublicIpAddress: d.associatePublicIpAddress !== false,
        ...(optString(d.serviceAccountEmail) ? { serviceAccountEmail: d.serviceAccountEmail as string, authScopes: stringList(d.authScopes) } : {}),
        ...(typeof d.canIpForward === 'boolean' ? { canIpForward: d.canIpForward } : {}),
        ...(d.autoscalingPolicy ? { autoscalingPolicy: d.autoscalingPolicy as AutoscalingPolicy } : {}),
      };
      const name = await deployServerGroup(clients, spec, context.task, context.signal);
      await refreshDeployed(deps, account.name, region, name);
      const result: DeploymentResult = emptyDeploymentResult();
      recordDeployment(result, region, name);
      return result;
    },
  });
}

/** After a deploy: the new instances and load balancer membership, then the server group itself. */
export async function refreshDeployed(deps: GceOperationDeps, account: string, region: string, name: string): Promise<void> {
  await deps.refresher.agent(account, 'global', 'GoogleInstanceCachingAgent');
  await deps.refresher.agent(account, region, 'GoogleNetworkLoadBalancerCachingAgent');
  await deps.refresher.serverGroup(account, region, name);
}
