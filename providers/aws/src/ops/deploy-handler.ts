import { CreateAutoScalingGroupCommand, paginateDescribeAutoScalingGroups, SuspendProcessesCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeSecurityGroupsCommand,
  paginateDescribeSubnets,
} from '@aws-sdk/client-ec2';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OperationTask } from '@stratus/plugin-api';
import type { DeployTarget } from '@stratus/provider-kit';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { clusterName, nextSequence, serverGroupName } from '@stratus/plugin-api';
import { collectPages } from '../paginate.js';
import type { Capacity } from './description.js';

export const DEPLOY_PHASE = 'DEPLOY';

/** Everything needed to create one server group in one region, already resolved to ids. */
export interface DeploySpec extends DeployTarget<AwsAccount> {
  readonly capacity: Capacity;
  readonly imageId: string;
  readonly instanceType: string;
  readonly keyPair?: string | undefined;
  readonly securityGroupIds: readonly string[];
  readonly subnetIds: readonly string[];
  readonly zones: readonly string[];
  readonly targetGroupArns: readonly string[];
  readonly loadBalancerNames: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly userData?: string | undefined;
  readonly iamRole?: string | undefined;
  readonly healthCheckType?: string | undefined;
  readonly healthCheckGracePeriod?: number | undefined;
  readonly cooldown?: number | undefined;
  readonly suspendedProcesses?: readonly string[] | undefined;
}

/** The next `vNNN` of a cluster: one more than the highest sequence among its live ASGs (v000 when none). */
export async function nextServerGroupName(clients: AwsRegionClients, cluster: string): Promise<string> {
  const groups = await collectPages(paginateDescribeAutoScalingGroups({ client: clients.autoScaling, pageSize: 100 }, {}), (p) => p.AutoScalingGroups);
  return serverGroupName(
    cluster,
    nextSequence(
      groups.map((g) => g.AutoScalingGroupName ?? ''),
      cluster,
    ),
  );
}

/** Runs one named step of a deploy (a resumable operation persists it; see `runStep`). */
export type DeployStepRunner = <T>(name: string, work: () => Promise<T>) => Promise<T>;

const runDirectly: DeployStepRunner = (_name, work) => work();

const isAlreadyExists = (error: unknown): boolean =>
  error instanceof Error && /AlreadyExists/.test(`${error.name} ${(error as { Code?: string }).Code ?? ''} ${error.message}`);

/**
 * Creates the launch template and the ASG; returns the ASG name. Each cloud change is a step of
 * `step` (keyed by region): a deploy continued on another replica reuses the name it chose and
 * skips what completed. A step whose call reached AWS but whose completion was never recorded finds
 * its resource already there ("AlreadyExists") and adopts it instead of failing.
 */
export async function deployServerGroup(
  clients: AwsRegionClients,
  spec: DeploySpec,
  task: OperationTask,
  step: DeployStepRunner = runDirectly,
): Promise<string> {
  const cluster = clusterName(spec.application, spec.stack, spec.freeFormDetails);
  const region = spec.region;
  await task.updateStatus(DEPLOY_PHASE, `Looking up the next server group name for cluster ${cluster} in ${region}`);
  const name = await step(`name:${region}`, () => nextServerGroupName(clients, cluster));
  const template = await step(`launchTemplate:${region}`, async () => {
    await task.updateStatus(DEPLOY_PHASE, `Creating launch template ${name} (${spec.imageId}, ${spec.instanceType}) in ${region}`);
    return createLaunchTemplate(clients, name, spec);
  });
  await step(`autoScalingGroup:${region}`, async () => {
    await task.updateStatus(
      DEPLOY_PHASE,
      `Creating auto scaling group ${name} in ${region} (min ${spec.capacity.min}, max ${spec.capacity.max}, desired ${spec.capacity.desired})`,
    );
    await createAutoScalingGroup(clients, name, template, spec).catch((error: unknown) => {
      if (!isAlreadyExists(error)) throw error;
      return task.updateStatus(DEPLOY_PHASE, `Auto scaling group ${name} already exists (created before this task resumed)`);
    });
    return name;
  });
  if (spec.suspendedProcesses && spec.suspendedProcesses.length > 0) {
    const processes = [...spec.suspendedProcesses];
    await step(`suspendProcesses:${region}`, async () => {
      await task.updateStatus(DEPLOY_PHASE, `Suspending processes ${processes.join(', ')} on ${name}`);
      await clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: processes }));
      return processes;
    });
  }
  await task.updateStatus(DEPLOY_PHASE, `Deployed ${name} in ${region}`);
  return name;
}

interface TemplateRef {
  readonly id: string;
  readonly version: string;
}

/** Creates the launch template, or adopts the one of that name an interrupted run already created. */
async function createLaunchTemplate(clients: AwsRegionClients, name: string, spec: DeploySpec): Promise<TemplateRef> {
  try {
    const template = await clients.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        LaunchTemplateData: {
          ImageId: spec.imageId,
          InstanceType: spec.instanceType as never,
          ...(spec.keyPair ? { KeyName: spec.keyPair } : {}),
          ...(spec.securityGroupIds.length > 0 ? { SecurityGroupIds: [...spec.securityGroupIds] } : {}),
          ...(spec.userData ? { UserData: spec.userData } : {}),
          ...(spec.iamRole ? { IamInstanceProfile: { Name: spec.iamRole } } : {}),
        },
      }),
    );
    return { id: template.LaunchTemplate!.LaunchTemplateId!, version: String(template.LaunchTemplate?.LatestVersionNumber ?? 1) };
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const found = (await clients.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }))).LaunchTemplates?.[0];
    if (!found?.LaunchTemplateId) throw error;
    return { id: found.LaunchTemplateId, version: String(found.LatestVersionNumber ?? 1) };
  }
}

async function createAutoScalingGroup(clients: AwsRegionClients, name: string, template: TemplateRef, spec: DeploySpec): Promise<void> {
  await clients.autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: template.id, Version: template.version },
      MinSize: spec.capacity.min,
      MaxSize: spec.capacity.max,
      DesiredCapacity: spec.capacity.desired,
      ...(spec.subnetIds.length > 0 ? { VPCZoneIdentifier: spec.subnetIds.join(',') } : { AvailabilityZones: [...spec.zones] }),
      ...(spec.targetGroupArns.length > 0 ? { TargetGroupARNs: [...spec.targetGroupArns] } : {}),
      ...(spec.loadBalancerNames.length > 0 ? { LoadBalancerNames: [...spec.loadBalancerNames] } : {}),
      ...(spec.healthCheckType ? { HealthCheckType: spec.healthCheckType } : {}),
      ...(spec.healthCheckGracePeriod !== undefined ? { HealthCheckGracePeriod: spec.healthCheckGracePeriod } : {}),
      ...(spec.cooldown !== undefined ? { DefaultCooldown: spec.cooldown } : {}),
      Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: name, ResourceType: 'auto-scaling-group' })),
    }),
  );
}

/** `ami-…` as is; otherwise the newest image with that exact name. */
export async function resolveImageId(clients: AwsRegionClients, imageIdOrName: string): Promise<string> {
  if (imageIdOrName.startsWith('ami-')) return imageIdOrName;
  const out = await clients.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: [imageIdOrName] }] }));
  const image = (out.Images ?? []).sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  if (!image?.ImageId) throw new Error(`No image named '${imageIdOrName}' found`);
  return image.ImageId;
}

/** Security group ids for a list of ids (`sg-…`) and names. */
export async function resolveSecurityGroupIds(clients: AwsRegionClients, namesOrIds: readonly string[], vpcId?: string): Promise<string[]> {
  const ids = namesOrIds.filter((s) => s.startsWith('sg-'));
  const names = namesOrIds.filter((s) => !s.startsWith('sg-'));
  if (names.length === 0) return ids;
  const out = await clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: names }, ...(vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [])] }),
  );
  const byName = new Map((out.SecurityGroups ?? []).map((g) => [g.GroupName, g.GroupId]));
  for (const name of names) {
    const id = byName.get(name);
    if (!id) throw new Error(`Security group '${name}' not found`);
    ids.push(id);
  }
  return ids;
}

/** Target group ARNs for target group names. */
export async function resolveTargetGroupArns(clients: AwsRegionClients, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const out = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [...names] }));
  return (out.TargetGroups ?? []).map((tg) => tg.TargetGroupArn!).filter(Boolean);
}

/**
 * Subnets for a deploy: those tagged `immutable_metadata` with `purpose = subnetType` in the given
 * zones (Spinnaker's convention).
 */
export async function resolveSubnetIds(clients: AwsRegionClients, subnetType: string, zones: readonly string[]): Promise<string[]> {
  const subnets = await collectPages(paginateDescribeSubnets({ client: clients.ec2, pageSize: 1000 }, {}), (p) => p.Subnets);
  const matching = subnets.filter((s) => {
    const raw = s.Tags?.find((t) => t.Key === 'immutable_metadata')?.Value;
    let purpose: string | undefined;
    try {
      purpose = raw ? (JSON.parse(raw) as { purpose?: string }).purpose : undefined;
    } catch {
      purpose = undefined;
    }
    return purpose === subnetType && (zones.length === 0 || zones.includes(s.AvailabilityZone ?? ''));
  });
  if (matching.length === 0) throw new Error(`No subnets with purpose '${subnetType}' in ${zones.join(', ') || 'the region'}`);
  return matching.map((s) => s.SubnetId!);
}
