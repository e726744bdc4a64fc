import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { validateStringList } from './create-server-group.js';
import { resolveImageId, resolveSecurityGroupIds } from './deploy-handler.js';
import { serverGroupOperation, type ServerGroupStep } from './server-group-operation.js';
import { requireAsg } from './server-group-operations.js';

const FIELDS = ['imageId', 'amiName', 'instanceType', 'keyPair', 'securityGroups', 'userData', 'iamRole'] as const;

/**
 * Creates a new version of the server group's launch template with the given changes, makes it the
 * default and points the ASG at it (new instances use it; running ones are untouched).
 */
export function updateLaunchTemplateOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'updateLaunchTemplate',
    phase: 'UPDATE_LAUNCH_TEMPLATE',
    validate(input, errors) {
      if (!FIELDS.some((f) => input[f] !== undefined)) errors.reject('imageId', 'empty', `at least one of ${FIELDS.join(', ')} is required`);
      for (const f of ['imageId', 'amiName', 'instanceType', 'keyPair', 'userData', 'iamRole'] as const) {
        if (input[f] !== undefined && (typeof input[f] !== 'string' || input[f] === '')) errors.reject(f, 'invalid', `${f} must be a non-empty string`);
      }
      validateStringList(errors, input.securityGroups, 'securityGroups');
    },
    act: (step) => newLaunchTemplateVersion(deps, step),
  });
}

/**
 * Creates a new version of the ASG's launch template with the changes in `input`, makes it the
 * default and points the ASG at it; shared with `updateLaunchConfig` on template-backed groups.
 */
export async function newLaunchTemplateVersion(deps: AwsOperationDeps, { account, target, clients, task, input }: ServerGroupStep): Promise<void> {
  const asg = await requireAsg(clients, target.serverGroupName, target.region);
  const template = asg.LaunchTemplate;
  if (!template?.LaunchTemplateId) throw new Error(`Server group ${target.serverGroupName} does not use a launch template`);
  const image = (input.imageId ?? input.amiName) as string | undefined;
  const data = {
    ...(image ? { ImageId: await resolveImageId(clients, image) } : {}),
    ...(input.instanceType ? { InstanceType: input.instanceType as never } : {}),
    ...(input.keyPair ? { KeyName: input.keyPair as string } : {}),
    ...(input.userData ? { UserData: input.userData as string } : {}),
    ...(input.iamRole ? { IamInstanceProfile: { Name: input.iamRole as string } } : {}),
    ...(Array.isArray(input.securityGroups) ? { SecurityGroupIds: await resolveSecurityGroupIds(clients, input.securityGroups as string[]) } : {}),
  };
  await task.updateStatus(
    'UPDATE_LAUNCH_TEMPLATE',
    `Creating a new version of launch template ${template.LaunchTemplateName} with ${Object.keys(data).join(', ')}`,
  );
  // Copy the current version's data ourselves rather than through `SourceVersion`, which not
  // every endpoint honours (moto ignores it).
  const current = await clients.ec2.send(
    new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: [template.Version ?? '$Latest'] }),
  );
  const base = (current.LaunchTemplateVersions?.[0]?.LaunchTemplateData ?? {}) as RequestLaunchTemplateData;
  const out = await clients.ec2.send(
    new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateData: { ...base, ...data } }),
  );
  const version = String(out.LaunchTemplateVersion?.VersionNumber);
  await clients.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId, DefaultVersion: version }));
  await task.updateStatus('UPDATE_LAUNCH_TEMPLATE', `Pointing ${target.serverGroupName} at launch template version ${version}`);
  await clients.autoScaling.send(
    new UpdateAutoScalingGroupCommand({
      AutoScalingGroupName: target.serverGroupName,
      LaunchTemplate: { LaunchTemplateId: template.LaunchTemplateId, Version: version },
    }),
  );
  // The launch template agent owns the version data the server group view shows.
  await deps.refresher.agent(account.name, target.region, 'LaunchTemplateCachingAgent');
}
