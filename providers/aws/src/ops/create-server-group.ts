import { runStep, type OperationContext, type OperationDefinition, type ValidationErrors } from '@stratus/plugin-api';
import { lifecycleHookProblems, putLifecycleHook, type LifecycleHookInput } from './asg-hook-and-tag-operations.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { isNonNegativeInt, validateAccount, validateCapacity, validateRegion, type Capacity } from './description.js';
import { DEPLOY_PHASE, deployServerGroup, resolveImageId, resolveSecurityGroupIds, resolveSubnetIds, resolveTargetGroupArns } from './deploy-handler.js';
import {
  createServerGroupDefinition,
  validateDeployNames,
  type DeployNameRules,
  emptyDeploymentResult,
  recordDeployment,
  type DeploymentResult,
} from '@stratus/provider-kit';
import type { AwsAccount } from '../accounts/aws-account.js';

export { type DeploymentResult, recordDeployment } from '@stratus/provider-kit';

/** Orca's AWS deploy description (Clouddriver's `BasicAmazonDeployDescription`, the fields we use). */
export interface CreateServerGroupDescription {
  readonly credentials?: string | undefined;
  readonly application?: unknown;
  readonly stack?: unknown;
  readonly freeFormDetails?: unknown;
  /** region → zones. */
  readonly availabilityZones?: unknown;
  readonly capacity?: unknown;
  readonly imageId?: unknown;
  readonly amiName?: unknown;
  readonly instanceType?: unknown;
  readonly keyPair?: unknown;
  readonly securityGroups?: unknown;
  readonly subnetIds?: unknown;
  readonly subnetType?: unknown;
  readonly targetGroups?: unknown;
  readonly loadBalancers?: unknown;
  readonly tags?: unknown;
  readonly userData?: unknown;
  readonly iamRole?: unknown;
  readonly healthCheckType?: unknown;
  readonly healthCheckGracePeriod?: unknown;
  readonly cooldown?: unknown;
  readonly suspendedProcesses?: unknown;
  /** Clouddriver's `AmazonAsgLifecycleHook`s, put on the new ASG after it is created. */
  readonly lifecycleHooks?: unknown;
}

const NAMES: DeployNameRules = {
  application: /^[a-zA-Z0-9]+$/,
  applicationSays: 'may only contain letters and digits',
  stack: /^[a-zA-Z0-9]*$/,
  stackSays: 'letters and digits',
  detail: /^[a-zA-Z0-9-]*$/,
  detailSays: 'letters, digits and dashes',
};

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const optString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function validateStringList(errors: ValidationErrors, value: unknown, field: string): void {
  if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string')))
    errors.reject(field, 'invalid', `${field} must be a list of strings`);
}

export function createServerGroupOperation(deps: AwsOperationDeps): OperationDefinition<CreateServerGroupDescription> {
  return createServerGroupDefinition({
    accounts: deps.accounts,
    // Deck and Orca send the user data as `base64UserData`.
    convert: (input) => ({
      ...input,
      ...(input.userData === undefined && typeof input.base64UserData === 'string' ? { userData: input.base64UserData } : {}),
    }),
    validate(d, errors) {
      const account = validateAccount(errors, deps.accounts, d.credentials);
      validateDeployNames(errors, d, NAMES, true);
      const zones = d.availabilityZones;
      if (!zones || typeof zones !== 'object' || Array.isArray(zones) || Object.keys(zones).length === 0) {
        errors.reject('availabilityZones', 'empty', 'availabilityZones must map at least one region to its zones');
      } else {
        for (const [region, list] of Object.entries(zones as Record<string, unknown>)) {
          validateRegion(errors, account, region, `availabilityZones.${region}`);
          validateStringList(errors, list, `availabilityZones.${region}`);
        }
      }
      validateCapacity(errors, d.capacity);
      if (!optString(d.imageId) && !optString(d.amiName)) errors.reject('imageId', 'empty', 'imageId or amiName is required');
      if (!optString(d.instanceType)) errors.reject('instanceType', 'empty', 'instanceType is required');
      for (const field of ['securityGroups', 'subnetIds', 'targetGroups', 'loadBalancers', 'suspendedProcesses'] as const)
        validateStringList(errors, d[field], field);
      if (d.tags !== undefined && (typeof d.tags !== 'object' || d.tags === null || Object.values(d.tags).some((v) => typeof v !== 'string'))) {
        errors.reject('tags', 'invalid', 'tags must map names to string values');
      }
      if (d.lifecycleHooks !== undefined && d.lifecycleHooks !== null) {
        if (!Array.isArray(d.lifecycleHooks)) errors.reject('lifecycleHooks', 'invalid', 'lifecycleHooks must be a list');
        else
          d.lifecycleHooks.forEach((hook, i) =>
            lifecycleHookProblems((hook ?? {}) as LifecycleHookInput, `lifecycleHooks[${i}].`).forEach((p) => errors.reject(p.field, p.code, p.message)),
          );
      }
      for (const field of ['healthCheckGracePeriod', 'cooldown'] as const) {
        if (d[field] !== undefined && !isNonNegativeInt(d[field])) errors.reject(field, 'invalid', `${field} must be a non-negative integer (seconds)`);
      }
    },
    // Resumable: the chosen name, the launch template and the ASG of each region are persisted steps,
    // so a deploy whose replica died continues on another one without a second server group (see
    // docs/operator-guide.md). Looking names and ids up again is harmless and is not persisted.
    resumable: true,
    create: (d, account, context, prior) => createServerGroup(deps, d, account, context, prior),
  });
}

async function createServerGroup(
  deps: AwsOperationDeps,
  d: CreateServerGroupDescription,
  account: AwsAccount,
  context: OperationContext,
  prior: readonly unknown[],
): Promise<DeploymentResult> {
  const result: DeploymentResult = emptyDeploymentResult();
  await context.task.updateStatus(DEPLOY_PHASE, `Initializing deployment of ${d.application} to ${account.name}`);
  for (const [region, zones] of Object.entries(d.availabilityZones as Record<string, string[]>)) {
    const clients = deps.clients.forRegion(account, region);
    const zoneList = zones.length > 0 ? zones : (account.regions.find((r) => r.name === region)?.availabilityZones ?? []);
    const subnetIds =
      stringList(d.subnetIds).length > 0
        ? stringList(d.subnetIds)
        : optString(d.subnetType)
          ? await resolveSubnetIds(clients, d.subnetType as string, zoneList)
          : [];
    const name = await deployServerGroup(
      clients,
      {
        account,
        region,
        application: d.application as string,
        ...(optString(d.stack) ? { stack: d.stack as string } : {}),
        ...(optString(d.freeFormDetails) ? { freeFormDetails: d.freeFormDetails as string } : {}),
        capacity: d.capacity as Capacity,
        imageId:
          resolvedByAllowLaunch(prior, region, (optString(d.imageId) ?? d.amiName) as string) ??
          (await resolveImageId(clients, (optString(d.imageId) ?? d.amiName) as string)),
        instanceType: d.instanceType as string,
        ...(optString(d.keyPair) ? { keyPair: d.keyPair as string } : account.defaultKeyPair ? { keyPair: account.defaultKeyPair } : {}),
        securityGroupIds: await resolveSecurityGroupIds(clients, stringList(d.securityGroups)),
        subnetIds,
        zones: zoneList.length > 0 ? zoneList : [`${region}a`],
        targetGroupArns: await resolveTargetGroupArns(clients, stringList(d.targetGroups)),
        loadBalancerNames: stringList(d.loadBalancers),
        tags: (d.tags as Record<string, string>) ?? {},
        ...(optString(d.userData) ? { userData: d.userData as string } : {}),
        ...(optString(d.iamRole) ? { iamRole: d.iamRole as string } : {}),
        ...(optString(d.healthCheckType) ? { healthCheckType: d.healthCheckType as string } : {}),
        ...(typeof d.healthCheckGracePeriod === 'number' ? { healthCheckGracePeriod: d.healthCheckGracePeriod } : {}),
        ...(typeof d.cooldown === 'number' ? { cooldown: d.cooldown } : {}),
        suspendedProcesses: stringList(d.suspendedProcesses),
      },
      context.task,
      (step, work) => runStep(context, step, work),
    );
    const hooks = Array.isArray(d.lifecycleHooks) ? (d.lifecycleHooks as LifecycleHookInput[]) : [];
    if (hooks.length > 0) {
      await runStep(context, `lifecycleHooks:${region}`, async () => {
        const names: string[] = [];
        for (const hook of hooks) {
          const hookName = await putLifecycleHook(clients, account, region, name, hook);
          await context.task.updateStatus(DEPLOY_PHASE, `Creating lifecycle hook ${hookName} on ${region}/${name}`);
          names.push(hookName);
        }
        return names;
      });
    }
    await refreshDeployed(deps, account.name, region, name);
    recordDeployment(result, region, name);
  }
  return result;
}

/**
 * The image id an `allowLaunchDescription` earlier in the same request resolved for this region and
 * name, as Clouddriver's deploy handler takes it: an image shared from the bake account need not be
 * found by name again in the deploy account.
 */
export function resolvedByAllowLaunch(prior: readonly unknown[], region: string, image: string): string | undefined {
  for (const output of prior) {
    const r = output as { amiName?: unknown; amiId?: unknown; region?: unknown } | undefined;
    if (r && typeof r.amiId === 'string' && r.region === region && (r.amiName === image || r.amiId === image)) return r.amiId;
  }
  return undefined;
}

/** After a deploy: the new launch template and instances, then the server group itself. */
export async function refreshDeployed(deps: AwsOperationDeps, account: string, region: string, name: string): Promise<void> {
  await deps.refresher.agent(account, region, 'LaunchTemplateCachingAgent');
  await deps.refresher.agent(account, region, 'InstanceCachingAgent');
  await deps.refresher.serverGroup(account, region, name);
}
