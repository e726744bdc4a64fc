import { DescribeLaunchTemplateVersionsCommand, type ResponseLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { AtomicOperation, OperationContext, OperationDefinition } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { cloneAccountsOf, emptyDeploymentResult } from '@stratus/provider-kit';
import { nameFromArn, tagMap } from '../plain.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import {
  createServerGroupOperation,
  recordDeployment,
  refreshDeployed,
  type CreateServerGroupDescription,
  type DeploymentResult,
} from './create-server-group.js';
import { DEPLOY_PHASE, deployServerGroup, resolveImageId, resolveSecurityGroupIds, resolveTargetGroupArns } from './deploy-handler.js';
import { accountNameOf, validateAccount, validateCapacity, validateRegion } from './description.js';
import { requireAsg } from './server-group-operations.js';

export interface CloneServerGroupDescription extends CreateServerGroupDescription {
  /** `{account, region, asgName}` of the server group to copy. */
  readonly source?: unknown;
}

/**
 * Copies a server group into the next `vNNN` of its cluster (or of the cluster the description
 * names), taking every field the description leaves out from the source ASG and launch template.
 */
export function cloneServerGroupOperation(deps: AwsOperationDeps): OperationDefinition<CloneServerGroupDescription> {
  const create = createServerGroupOperation(deps);
  return {
    name: 'cloneServerGroup',
    converter: {
      // Deck and Orca send the user data as `base64UserData`.
      convertDescription: (input) =>
        ({
          ...input,
          ...(input.userData === undefined && typeof input.base64UserData === 'string' ? { userData: input.base64UserData } : {}),
          credentials: accountNameOf(input),
        }) as CloneServerGroupDescription,
      convertOperation: (description) => new CloneServerGroupOperation(deps, description),
    },
    validator: {
      validate(d, errors) {
        const source = d.source as Record<string, unknown> | undefined;
        if (!source || typeof source !== 'object') {
          errors.reject('source', 'empty', 'source {account, region, asgName} is required');
          validateAccount(errors, deps.accounts, d.credentials);
          return;
        }
        const sourceAccount = deps.accounts.get(String(source.account ?? d.credentials ?? ''));
        if (!sourceAccount) errors.reject('source.account', 'invalid', `'${String(source.account)}' is not a configured AWS account`);
        validateRegion(errors, sourceAccount, typeof source.region === 'string' ? source.region : '', 'source.region');
        if (typeof (source.asgName ?? source.serverGroupName) !== 'string') errors.reject('source.asgName', 'empty', 'source.asgName is required');
        const account = validateAccount(errors, deps.accounts, d.credentials);
        if (d.availabilityZones !== undefined && typeof d.availabilityZones === 'object' && d.availabilityZones !== null) {
          for (const region of Object.keys(d.availabilityZones)) validateRegion(errors, account, region, `availabilityZones.${region}`);
        }
        validateCapacity(errors, d.capacity, 'capacity', false);
      },
    },
    accountsOf: cloneAccountsOf,
    applicationsOf: (d) => {
      const source = d.source as Record<string, unknown> | undefined;
      const name = typeof source?.asgName === 'string' ? source.asgName : undefined;
      return [...new Set([...(create.applicationsOf?.(d) ?? []), ...(name ? [parseServerGroupName(name).app] : [])])];
    },
  };
}

class CloneServerGroupOperation implements AtomicOperation<DeploymentResult> {
  constructor(
    private readonly deps: AwsOperationDeps,
    private readonly d: CloneServerGroupDescription,
  ) {}

  async operate(_prior: readonly unknown[], context: OperationContext): Promise<DeploymentResult> {
    const d = this.d;
    const source = d.source as Record<string, unknown>;
    const sourceName = String(source.asgName ?? source.serverGroupName);
    const sourceRegion = String(source.region);
    const sourceAccount = this.deps.accounts.get(String(source.account ?? d.credentials))!;
    const account = this.deps.accounts.get(d.credentials!)!;
    const sourceClients = this.deps.clients.forRegion(sourceAccount, sourceRegion);
    await context.task.updateStatus(DEPLOY_PHASE, `Copying ${sourceName} from ${sourceAccount.name}/${sourceRegion}`);
    const asg = await requireAsg(sourceClients, sourceName, sourceRegion);
    const template = asg.LaunchTemplate;
    let ltData: ResponseLaunchTemplateData = {};
    if (template?.LaunchTemplateId) {
      const versions = await sourceClients.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: [template.Version ?? '$Latest'] }),
      );
      ltData = versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData ?? {};
    }
    const names = parseServerGroupName(sourceName);
    const regions =
      d.availabilityZones && typeof d.availabilityZones === 'object'
        ? Object.entries(d.availabilityZones as Record<string, string[]>)
        : [[sourceRegion, asg.AvailabilityZones ?? []] as [string, string[]]];
    const result: DeploymentResult = emptyDeploymentResult();
    for (const [region, zones] of regions) {
      const clients = this.deps.clients.forRegion(account, region);
      const sameRegion = region === sourceRegion && account.name === sourceAccount.name;
      const image = (d.imageId ?? d.amiName ?? ltData.ImageId) as string | undefined;
      if (!image) throw new Error(`No image: neither the description nor ${sourceName}'s launch template has one`);
      const sourceTags = Object.fromEntries(Object.entries(tagMap(asg.Tags)).filter(([k]) => !k.startsWith('aws:')));
      const name = await deployServerGroup(
        clients,
        {
          account,
          region,
          application: (d.application as string | undefined) ?? names.app,
          ...(((d.stack as string | undefined) ?? names.stack) ? { stack: (d.stack as string | undefined) ?? names.stack } : {}),
          ...(((d.freeFormDetails as string | undefined) ?? names.detail)
            ? { freeFormDetails: (d.freeFormDetails as string | undefined) ?? names.detail }
            : {}),
          capacity: (d.capacity as { min: number; max: number; desired: number }) ?? {
            min: asg.MinSize ?? 0,
            max: asg.MaxSize ?? 0,
            desired: asg.DesiredCapacity ?? 0,
          },
          imageId: await resolveImageId(clients, image),
          instanceType: (d.instanceType as string | undefined) ?? ltData.InstanceType ?? 'm5.large',
          ...(((d.keyPair as string | undefined) ?? ltData.KeyName) ? { keyPair: (d.keyPair as string | undefined) ?? ltData.KeyName } : {}),
          securityGroupIds: Array.isArray(d.securityGroups)
            ? await resolveSecurityGroupIds(clients, d.securityGroups as string[])
            : sameRegion
              ? (ltData.SecurityGroupIds ?? [])
              : [],
          subnetIds: Array.isArray(d.subnetIds) ? (d.subnetIds as string[]) : sameRegion ? (asg.VPCZoneIdentifier ?? '').split(',').filter(Boolean) : [],
          zones: zones.length > 0 ? zones : (asg.AvailabilityZones ?? []),
          targetGroupArns: Array.isArray(d.targetGroups)
            ? await resolveTargetGroupArns(clients, d.targetGroups as string[])
            : sameRegion
              ? (asg.TargetGroupARNs ?? [])
              : await resolveTargetGroupArns(clients, (asg.TargetGroupARNs ?? []).map(nameFromArn)),
          loadBalancerNames: Array.isArray(d.loadBalancers) ? (d.loadBalancers as string[]) : (asg.LoadBalancerNames ?? []),
          tags: { ...sourceTags, ...((d.tags as Record<string, string>) ?? {}) },
          ...(ltData.UserData ? { userData: ltData.UserData } : {}),
        },
        context.task,
      );
      await refreshDeployed(this.deps, account.name, region, name);
      recordDeployment(result, region, name);
    }
    return result;
  }
}
