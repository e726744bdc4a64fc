import {
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  UpdateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { DeleteLaunchTemplateCommand } from '@aws-sdk/client-ec2';
import { DeregisterTargetsCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { DISABLED_PROCESS } from '../caching/server-group-data.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { validateCapacity } from './description.js';
import { serverGroupOperation } from './server-group-operation.js';

/** Describes one ASG or fails the task with a clear message. */
export async function requireAsg(clients: AwsRegionClients, name: string, region: string): Promise<AutoScalingGroup> {
  const out = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const asg = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
  if (!asg) throw new Error(`Server group ${name} not found in ${region}`);
  return asg;
}

const inServiceIds = (asg: AutoScalingGroup) => (asg.Instances ?? []).map((i) => i.InstanceId!).filter(Boolean);

export function resizeServerGroupOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'resizeServerGroup',
    phase: 'RESIZE',
    validate: (input, errors) => validateCapacity(errors, input.capacity),
    async act({ target, clients, task, input }) {
      const c = input.capacity as { min: number; max: number; desired: number };
      await requireAsg(clients, target.serverGroupName, target.region);
      await task.updateStatus('RESIZE', `Resizing ${target.serverGroupName} to min ${c.min}, max ${c.max}, desired ${c.desired}`);
      await clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: target.serverGroupName, MinSize: c.min, MaxSize: c.max, DesiredCapacity: c.desired }),
      );
    },
  });
}

/**
 * Disable: suspend `AddToLoadBalancer` (the process whose suspension Clouddriver reads as
 * disabled) and deregister the instances from the server group's target groups.
 */
export function disableServerGroupOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'disableServerGroup',
    phase: 'DISABLE_ASG',
    async act({ target, clients, task }) {
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      await task.updateStatus('DISABLE_ASG', `Suspending process ${DISABLED_PROCESS} on ${target.serverGroupName}`);
      await clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: target.serverGroupName, ScalingProcesses: [DISABLED_PROCESS] }));
      const ids = inServiceIds(asg);
      for (const arn of asg.TargetGroupARNs ?? []) {
        if (ids.length === 0) break;
        await task.updateStatus('DISABLE_ASG', `Deregistering ${ids.length} instance(s) from target group ${arn.split('/').at(-2)}`);
        await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id })) }));
      }
    },
  });
}

/** Enable: resume `AddToLoadBalancer` and register the instances with the target groups again. */
export function enableServerGroupOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'enableServerGroup',
    phase: 'ENABLE_ASG',
    async act({ target, clients, task }) {
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      await task.updateStatus('ENABLE_ASG', `Resuming process ${DISABLED_PROCESS} on ${target.serverGroupName}`);
      await clients.autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: target.serverGroupName, ScalingProcesses: [DISABLED_PROCESS] }));
      const ids = inServiceIds(asg);
      for (const arn of asg.TargetGroupARNs ?? []) {
        if (ids.length === 0) break;
        await task.updateStatus('ENABLE_ASG', `Registering ${ids.length} instance(s) with target group ${arn.split('/').at(-2)}`);
        await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: ids.map((Id) => ({ Id })) }));
      }
    },
  });
}

/** Destroy: force-delete the ASG (terminating its instances) and delete its launch template. */
export function destroyServerGroupOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'destroyServerGroup',
    phase: 'DESTROY_ASG',
    async act({ target, clients, task }) {
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      await task.updateStatus('DESTROY_ASG', `Deleting auto scaling group ${target.serverGroupName} and terminating its instances`);
      await clients.autoScaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: target.serverGroupName, ForceDelete: true }));
      const template = asg.LaunchTemplate ?? asg.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
      if (template?.LaunchTemplateId) {
        await task.updateStatus('DESTROY_ASG', `Deleting launch template ${template.LaunchTemplateName ?? template.LaunchTemplateId}`);
        try {
          await clients.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: template.LaunchTemplateId }));
        } catch (error) {
          await task.updateStatus('DESTROY_ASG', `Could not delete launch template: ${(error as Error).message}`);
        }
      }
    },
  });
}

/** Adds or updates tags on the ASGs (propagated to new instances). */
export function upsertServerGroupTagsOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'upsertServerGroupTags',
    phase: 'UPSERT_ASG_TAGS',
    validate(input, errors) {
      const tags = input.tags;
      if (!tags || typeof tags !== 'object' || Array.isArray(tags) || Object.keys(tags).length === 0)
        errors.reject('tags', 'empty', 'tags must map at least one name to a value');
      else for (const [k, v] of Object.entries(tags)) if (typeof v !== 'string') errors.reject(`tags.${k}`, 'invalid', `tags.${k} must be a string`);
    },
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const tags = Object.entries(input.tags as Record<string, string>);
      await task.updateStatus('UPSERT_ASG_TAGS', `Tagging ${target.serverGroupName} with ${tags.map(([k]) => k).join(', ')}`);
      await clients.autoScaling.send(
        new CreateOrUpdateTagsCommand({
          Tags: tags.map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true, ResourceId: target.serverGroupName, ResourceType: 'auto-scaling-group' })),
        }),
      );
    },
  });
}

/** The operations on an existing server group, in the order the provider registers them. */
export function serverGroupOperations(deps: AwsOperationDeps): OperationDefinition[] {
  return [
    resizeServerGroupOperation(deps),
    enableServerGroupOperation(deps),
    disableServerGroupOperation(deps),
    destroyServerGroupOperation(deps),
    upsertServerGroupTagsOperation(deps),
  ];
}
