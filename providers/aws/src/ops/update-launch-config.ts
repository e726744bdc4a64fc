import {
  CreateLaunchConfigurationCommand,
  DescribeLaunchConfigurationsCommand,
  UpdateAutoScalingGroupCommand,
  type CreateLaunchConfigurationCommandInput,
} from '@aws-sdk/client-auto-scaling';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { validateStringList } from './create-server-group.js';
import { resolveImageId, resolveSecurityGroupIds } from './deploy-handler.js';
import { serverGroupOperation } from './server-group-operation.js';
import { requireAsg } from './server-group-operations.js';
import { newLaunchTemplateVersion } from './update-launch-template.js';

const STRING_FIELDS = ['amiName', 'imageId', 'instanceType', 'iamRole', 'keyPair', 'base64UserData', 'spotPrice', 'ramdiskId'] as const;
const BOOLEAN_FIELDS = ['instanceMonitoring', 'ebsOptimized', 'associatePublicIpAddress', 'securityGroupsAppendOnly'] as const;

/**
 * `updateLaunchConfig` (`modifyAsgLaunchConfigurationDescription`): on an ASG with a launch
 * configuration, creates a copy with the changes (named `<asg>-<yyyyMMddHHmmss>`) and points the
 * ASG at it; on an ASG with a launch template, creates a new template version instead, as
 * Clouddriver does.
 */
export function updateLaunchConfigOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'updateLaunchConfig',
    phase: 'UPDATE_LAUNCH_CONFIG',
    validate(input, errors) {
      for (const f of STRING_FIELDS)
        if (input[f] !== undefined && input[f] !== null && (typeof input[f] !== 'string' || input[f] === ''))
          errors.reject(f, 'invalid', `${f} must be a non-empty string`);
      for (const f of BOOLEAN_FIELDS)
        if (input[f] !== undefined && input[f] !== null && typeof input[f] !== 'boolean') errors.reject(f, 'invalid', `${f} must be true or false`);
      validateStringList(errors, input.securityGroups, 'securityGroups');
      if (
        ![...STRING_FIELDS, ...BOOLEAN_FIELDS, 'securityGroups'].some((f) => input[f] !== undefined && input[f] !== null && f !== 'securityGroupsAppendOnly')
      ) {
        errors.reject('amiName', 'empty', 'nothing to change: give at least one of amiName, instanceType, iamRole, keyPair, securityGroups, base64UserData, …');
      }
    },
    async act(step) {
      const { target, clients, task, input } = step;
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      if (asg.LaunchTemplate || asg.MixedInstancesPolicy) {
        await task.updateStatus('UPDATE_LAUNCH_CONFIG', `${target.serverGroupName} uses a launch template: creating a new version of it`);
        const groups = Array.isArray(input.securityGroups) ? (input.securityGroups as string[]) : undefined;
        await newLaunchTemplateVersion(deps, {
          ...step,
          input: {
            ...(input.amiName || input.imageId ? { imageId: (input.imageId ?? input.amiName) as string } : {}),
            ...(input.instanceType ? { instanceType: input.instanceType } : {}),
            ...(input.keyPair ? { keyPair: input.keyPair } : {}),
            ...(input.iamRole ? { iamRole: input.iamRole } : {}),
            ...(input.base64UserData ? { userData: input.base64UserData } : {}),
            ...(groups ? { securityGroups: groups } : {}),
          },
        });
        return;
      }
      if (!asg.LaunchConfigurationName) throw new Error(`Server group ${target.serverGroupName} has neither a launch configuration nor a launch template`);
      const described = await clients.autoScaling.send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [asg.LaunchConfigurationName] }));
      const current = described.LaunchConfigurations?.[0];
      if (!current) throw new Error(`Launch configuration ${asg.LaunchConfigurationName} of ${target.serverGroupName} not found`);
      const image = (input.imageId ?? input.amiName) as string | undefined;
      let securityGroups = current.SecurityGroups ?? [];
      if (Array.isArray(input.securityGroups)) {
        const resolved = await resolveSecurityGroupIds(clients, input.securityGroups as string[]);
        securityGroups = input.securityGroupsAppendOnly === true ? [...new Set([...securityGroups, ...resolved])] : resolved;
      }
      const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
      const name = `${target.serverGroupName}-${stamp}`;
      const request: CreateLaunchConfigurationCommandInput = {
        LaunchConfigurationName: name,
        ImageId: image ? await resolveImageId(clients, image) : current.ImageId,
        InstanceType: (input.instanceType as string) ?? current.InstanceType,
        SecurityGroups: securityGroups,
        ...((input.keyPair ?? current.KeyName) ? { KeyName: (input.keyPair as string) ?? current.KeyName } : {}),
        ...((input.iamRole ?? current.IamInstanceProfile) ? { IamInstanceProfile: (input.iamRole as string) ?? current.IamInstanceProfile } : {}),
        ...((input.base64UserData ?? current.UserData) ? { UserData: (input.base64UserData as string) ?? current.UserData } : {}),
        ...((input.spotPrice ?? current.SpotPrice) ? { SpotPrice: (input.spotPrice as string) ?? current.SpotPrice } : {}),
        ...((input.ramdiskId ?? current.RamdiskId) ? { RamdiskId: (input.ramdiskId as string) ?? current.RamdiskId } : {}),
        InstanceMonitoring: {
          Enabled: typeof input.instanceMonitoring === 'boolean' ? input.instanceMonitoring : (current.InstanceMonitoring?.Enabled ?? false),
        },
        EbsOptimized: typeof input.ebsOptimized === 'boolean' ? input.ebsOptimized : (current.EbsOptimized ?? false),
        ...(typeof input.associatePublicIpAddress === 'boolean' || current.AssociatePublicIpAddress !== undefined
          ? {
              AssociatePublicIpAddress: typeof input.associatePublicIpAddress === 'boolean' ? input.associatePublicIpAddress : current.AssociatePublicIpAddress,
            }
          : {}),
        ...(current.BlockDeviceMappings?.length ? { BlockDeviceMappings: current.BlockDeviceMappings } : {}),
      };
      await task.updateStatus('UPDATE_LAUNCH_CONFIG', `Creating launch configuration ${name} from ${current.LaunchConfigurationName}`);
      await clients.autoScaling.send(new CreateLaunchConfigurationCommand(request));
      await task.updateStatus('UPDATE_LAUNCH_CONFIG', `Pointing ${target.serverGroupName} at launch configuration ${name}`);
      await clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: target.serverGroupName, LaunchConfigurationName: name }));
      // The launch configuration agent owns the data the server group view shows.
      await deps.refresher.agent(step.account.name, target.region, 'LaunchConfigCachingAgent');
      return { launchConfigurationName: name };
    },
  });
}
