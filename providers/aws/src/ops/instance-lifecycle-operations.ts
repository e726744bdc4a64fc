import { DetachInstancesCommand, TerminateInstanceInAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, ModifyInstanceAttributeCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { DeregisterInstancesFromLoadBalancerCommand, RegisterInstancesWithLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DeregisterTargetsCommand, DescribeTargetGroupsCommand, RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { resolveSecurityGroupIds } from './deploy-handler.js';
import { str } from './description.js';
import { regionalOperation, type RegionalStep } from './regional-operation.js';
import { serverGroupOperation } from './server-group-operation.js';
import { requireAsg } from './server-group-operations.js';

const INSTANCE_ID = /^i-[0-9a-f]+$/;

function validateInstanceIds(errors: ValidationErrors, value: unknown, field = 'instanceIds'): void {
  if (!Array.isArray(value) || value.length === 0) errors.reject(field, 'empty', `${field} must list at least one instance id`);
  else
    value.forEach((id, i) => {
      if (typeof id !== 'string' || !INSTANCE_ID.test(id)) errors.reject(`${field}[${i}]`, 'invalid', `'${String(id)}' is not an EC2 instance id`);
    });
}

const asgNameOf = (input: Record<string, unknown>) => str(input.serverGroupName ?? input.asgName);

/** Refreshes the instances an operation changed and, when known, their server group. */
async function refreshInstances(deps: AwsOperationDeps, account: string, region: string, asgName: string, removed: readonly string[] = []): Promise<void> {
  await deps.refresher.agent(
    account,
    region,
    'InstanceCachingAgent',
    removed.length > 0 ? { [Types.instances]: removed.map((id) => Keys.instance(account, region, id)) } : {},
  );
  if (asgName) await deps.refresher.serverGroup(account, region, asgName);
}

/**
 * `terminateInstanceAndDecrementServerGroup` (`terminateInstanceAndDecrementAsgDescription`):
 * terminates one instance (`instance`, or the one of `instanceIds`) and lowers the ASG's desired
 * capacity; lowers min first when `adjustMinIfNecessary`, and max to the new desired when
 * `setMaxToNewDesired`. Without `adjustMinIfNecessary` a desired already at min fails the task.
 */
export function terminateInstanceAndDecrementOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'terminateInstanceAndDecrementServerGroup',
    phase: 'TERMINATE_AND_DEC_ASG',
    validate(input, errors) {
      if (!asgNameOf(input)) errors.reject('serverGroupName', 'empty', 'serverGroupName (or asgName) is required');
      const instance = input.instance ?? (Array.isArray(input.instanceIds) ? input.instanceIds[0] : undefined);
      if (typeof instance !== 'string' || !INSTANCE_ID.test(instance)) errors.reject('instance', 'invalid', 'instance must be an EC2 instance id');
    },
    async act({ account, region, clients, task, input }) {
      const asgName = asgNameOf(input);
      const instance = (input.instance ?? (input.instanceIds as string[])[0]) as string;
      const asg = await requireAsg(clients, asgName, region);
      if (!(asg.Instances ?? []).some((i) => i.InstanceId === instance)) throw new Error(`Instance ${instance} is not in server group ${asgName}`);
      const desired = asg.DesiredCapacity ?? 0;
      const min = asg.MinSize ?? 0;
      if (desired - 1 < min) {
        if (input.adjustMinIfNecessary !== true) throw new Error(`Cannot decrement ${asgName} below its min ${min} (set adjustMinIfNecessary)`);
        await task.updateStatus('TERMINATE_AND_DEC_ASG', `Lowering min of ${asgName} to ${desired - 1}`);
        await clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MinSize: desired - 1 }));
      }
      await task.updateStatus('TERMINATE_AND_DEC_ASG', `Terminating ${instance} and decrementing ${asgName}`);
      await clients.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instance, ShouldDecrementDesiredCapacity: true }));
      if (input.setMaxToNewDesired === true) {
        await task.updateStatus('TERMINATE_AND_DEC_ASG', `Setting max of ${asgName} to ${desired - 1}`);
        await clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MaxSize: desired - 1 }));
      }
      await refreshInstances(deps, account.name, region, asgName, [instance]);
    },
  });
}

/**
 * `detachInstances`: detaches instances from their ASG, lowering desired when
 * `decrementDesiredCapacity` (and min when `adjustMinIfNecessary`), terminating them afterwards when
 * `terminateDetachedInstances`.
 */
export function detachInstancesOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'detachInstances',
    phase: 'DETACH_INSTANCES',
    validate(input, errors) {
      if (!asgNameOf(input)) errors.reject('asgName', 'empty', 'asgName (or serverGroupName) is required');
      validateInstanceIds(errors, input.instanceIds);
    },
    async act({ account, region, clients, task, input }) {
      const asgName = asgNameOf(input);
      const asg = await requireAsg(clients, asgName, region);
      const members = new Set((asg.Instances ?? []).map((i) => i.InstanceId));
      const ids = (input.instanceIds as string[]).filter((id) => members.has(id));
      const missing = (input.instanceIds as string[]).filter((id) => !members.has(id));
      if (missing.length > 0) await task.updateStatus('DETACH_INSTANCES', `Not in ${asgName}, skipped: ${missing.join(', ')}`);
      if (ids.length === 0) throw new Error(`None of ${(input.instanceIds as string[]).join(', ')} is in server group ${asgName}`);
      const decrement = input.decrementDesiredCapacity === true;
      if (decrement && (asg.DesiredCapacity ?? 0) - ids.length < (asg.MinSize ?? 0)) {
        if (input.adjustMinIfNecessary !== true)
          throw new Error(`Detaching ${ids.length} instance(s) would take ${asgName} below its min ${asg.MinSize} (set adjustMinIfNecessary)`);
        const newMin = (asg.DesiredCapacity ?? 0) - ids.length;
        await task.updateStatus('DETACH_INSTANCES', `Lowering min of ${asgName} to ${newMin}`);
        await clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MinSize: newMin }));
      }
      await task.updateStatus('DETACH_INSTANCES', `Detaching ${ids.join(', ')} from ${asgName}${decrement ? ' (decrementing desired capacity)' : ''}`);
      await clients.autoScaling.send(
        new DetachInstancesCommand({ AutoScalingGroupName: asgName, InstanceIds: ids, ShouldDecrementDesiredCapacity: decrement }),
      );
      if (input.terminateDetachedInstances === true) {
        await task.updateStatus('DETACH_INSTANCES', `Terminating detached instances ${ids.join(', ')}`);
        await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      }
      await refreshInstances(deps, account.name, region, asgName, input.terminateDetachedInstances === true ? ids : []);
    },
  });
}

/**
 * `updateInstances`: sets the security groups of every running instance of a server group
 * (names or ids; added to the current ones when `securityGroupsAppendOnly`).
 */
export function updateInstancesOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'updateInstances',
    phase: 'UPDATE_INSTANCES',
    validate(input, errors) {
      const groups = input.securityGroups;
      if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== 'string' || g === ''))
        errors.reject('securityGroups', 'empty', 'securityGroups must list at least one security group name or id');
    },
    async act({ account, target, clients, task, input }) {
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      const ids = (asg.Instances ?? []).map((i) => i.InstanceId!).filter(Boolean);
      if (ids.length === 0) {
        await task.updateStatus('UPDATE_INSTANCES', `${target.serverGroupName} has no instances to update`);
        return;
      }
      const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
      const instances = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const vpcId = instances.find((i) => i.VpcId)?.VpcId;
      const wanted = await resolveSecurityGroupIds(clients, input.securityGroups as string[], vpcId);
      for (const instance of instances) {
        const groups = input.securityGroupsAppendOnly === true ? [...new Set([...(instance.SecurityGroups ?? []).map((g) => g.GroupId!), ...wanted])] : wanted;
        await task.updateStatus('UPDATE_INSTANCES', `Setting security groups of ${instance.InstanceId} to ${groups.join(', ')}`);
        await clients.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance.InstanceId!, Groups: groups }));
      }
      await deps.refresher.agent(account.name, target.region, 'InstanceCachingAgent');
    },
  });
}

async function targetGroupArns(clients: AwsRegionClients, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const out = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [...names] }));
  return (out.TargetGroups ?? []).map((tg) => tg.TargetGroupArn!).filter(Boolean);
}

function validateRegistration(input: Record<string, unknown>, errors: ValidationErrors): void {
  validateInstanceIds(errors, input.instanceIds);
  for (const field of ['loadBalancerNames', 'targetGroupNames']) {
    const value = input[field];
    if (value !== undefined && value !== null && (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')))
      errors.reject(field, 'invalid', `${field} must be a list of names`);
  }
  const named = [input.loadBalancerNames, input.targetGroupNames].some((v) => Array.isArray(v) && v.length > 0);
  if (!named && !asgNameOf(input))
    errors.reject('loadBalancerNames', 'empty', 'loadBalancerNames, targetGroupNames or the asgName whose load balancers to use is required');
}

/**
 * The classic load balancers and target groups to (de)register with: the named ones, else those of
 * the server group `asgName`.
 */
async function registrationTargets(step: RegionalStep): Promise<{ classic: string[]; targetGroups: string[] }> {
  const { clients, input, region } = step;
  const classic = Array.isArray(input.loadBalancerNames) ? (input.loadBalancerNames as string[]) : [];
  const named = Array.isArray(input.targetGroupNames) ? (input.targetGroupNames as string[]) : [];
  if (classic.length > 0 || named.length > 0) return { classic, targetGroups: await targetGroupArns(clients, named) };
  const asg = await requireAsg(clients, asgNameOf(input), region);
  return { classic: asg.LoadBalancerNames ?? [], targetGroups: asg.TargetGroupARNs ?? [] };
}

function registrationOperation(deps: AwsOperationDeps, name: string, phase: string, register: boolean): OperationDefinition {
  return regionalOperation(deps, {
    name,
    phase,
    validate: validateRegistration,
    async act(step) {
      const { account, region, clients, task, input } = step;
      const ids = input.instanceIds as string[];
      const { classic, targetGroups } = await registrationTargets(step);
      const verb = register ? 'Registering' : 'Deregistering';
      for (const lb of classic) {
        await task.updateStatus(phase, `${verb} ${ids.join(', ')} ${register ? 'with' : 'from'} load balancer ${lb}`);
        const Instances = ids.map((InstanceId) => ({ InstanceId }));
        await clients.elb.send(
          register
            ? new RegisterInstancesWithLoadBalancerCommand({ LoadBalancerName: lb, Instances })
            : new DeregisterInstancesFromLoadBalancerCommand({ LoadBalancerName: lb, Instances }),
        );
      }
      for (const arn of targetGroups) {
        await task.updateStatus(phase, `${verb} ${ids.join(', ')} ${register ? 'with' : 'from'} target group ${arn.split('/').at(-2)}`);
        const Targets = ids.map((Id) => ({ Id }));
        await clients.elbv2.send(
          register ? new RegisterTargetsCommand({ TargetGroupArn: arn, Targets }) : new DeregisterTargetsCommand({ TargetGroupArn: arn, Targets }),
        );
      }
      if (classic.length === 0 && targetGroups.length === 0) await task.updateStatus(phase, 'No load balancers or target groups to act on');
      if (classic.length > 0) await deps.refresher.agent(account.name, region, 'AmazonLoadBalancerCachingAgent');
      if (targetGroups.length > 0) await deps.refresher.agent(account.name, region, 'AmazonApplicationLoadBalancerCachingAgent');
    },
  });
}

/** `registerInstancesWithLoadBalancer`: classic load balancers by name and/or target groups by name. */
export function registerInstancesWithLoadBalancerOperation(deps: AwsOperationDeps): OperationDefinition {
  return registrationOperation(deps, 'registerInstancesWithLoadBalancer', 'REGISTER_INSTANCES', true);
}

/** `deregisterInstancesFromLoadBalancer`: the reverse of the above. */
export function deregisterInstancesFromLoadBalancerOperation(deps: AwsOperationDeps): OperationDefinition {
  return registrationOperation(deps, 'deregisterInstancesFromLoadBalancer', 'DEREGISTER_INSTANCES', false);
}

/** The Eureka base URL of an account in a region: its `discovery` setting with `{{region}}` filled in. */
export function discoveryUrlOf(account: AwsAccount, region: string): string | undefined {
  const raw = (account as { discovery?: unknown }).discovery;
  if (typeof raw !== 'string' || raw === '') return undefined;
  if ((account as { discoveryEnabled?: unknown }).discoveryEnabled === false) return undefined;
  return raw.replaceAll('{{region}}', region).replace(/\/+$/, '');
}

async function eurekaCall(url: string, method: string): Promise<Response> {
  const res = await fetch(url, { method, headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(10_000) });
  return res;
}

function discoveryOperation(deps: AwsOperationDeps, name: string, phase: string, enable: boolean): OperationDefinition {
  return regionalOperation(deps, {
    name,
    phase,
    validate(input, errors, account) {
      validateInstanceIds(errors, input.instanceIds);
      if (account) {
        const regions = Array.isArray(input.regions) ? (input.regions as string[]) : [str(input.region)];
        if (!discoveryUrlOf(account, regions[0] ?? ''))
          errors.reject('credentials', 'invalid', `account '${account.name}' has no discovery (Eureka) URL configured`);
      }
    },
    async act({ account, region, task, input }) {
      const base = discoveryUrlOf(account, region)!;
      const status = enable ? 'UP' : 'OUT_OF_SERVICE';
      const fallbackApp = str(input.asgName ?? input.serverGroupName)
        .split('-')[0]!
        .toUpperCase();
      for (const id of input.instanceIds as string[]) {
        await task.updateStatus(phase, `Looking up discovery application name for instance ${id}`);
        const info = await eurekaCall(`${base}/instances/${encodeURIComponent(id)}`, 'GET');
        let app = fallbackApp;
        if (info.ok) app = (((await info.json()) as { instance?: { app?: string } }).instance?.app ?? fallbackApp) || fallbackApp;
        else if (info.status !== 404) throw new Error(`Discovery answered ${info.status} looking up ${id}`);
        if (!app) throw new Error(`Could not find the discovery application of ${id}`);
        await task.updateStatus(phase, `Marking ${id} as '${status}' in discovery application ${app}`);
        // Disable overrides the status; enable removes the override (Eureka then reports the instance's own UP).
        const url = `${base}/apps/${encodeURIComponent(app)}/${encodeURIComponent(id)}/status?value=OUT_OF_SERVICE`;
        const res = await eurekaCall(url, enable ? 'DELETE' : 'PUT');
        if (!res.ok) throw new Error(`Failed updating status of ${id} to '${status}' in application '${app}' in discovery: HTTP ${res.status}`);
      }
      await task.updateStatus(phase, `Marked ${(input.instanceIds as string[]).length} instance(s) ${status} in discovery`);
      await deps.refresher.agent(account.name, region, 'DiscoveryCachingAgent');
    },
  });
}

/** `enableInstancesInDiscovery`: removes the OUT_OF_SERVICE override in Eureka for each instance. */
export function enableInstancesInDiscoveryOperation(deps: AwsOperationDeps): OperationDefinition {
  return discoveryOperation(deps, 'enableInstancesInDiscovery', 'DISCOVERY_ENABLE_INSTANCES', true);
}

/** `disableInstancesInDiscovery`: marks each instance OUT_OF_SERVICE in Eureka. */
export function disableInstancesInDiscoveryOperation(deps: AwsOperationDeps): OperationDefinition {
  return discoveryOperation(deps, 'disableInstancesInDiscovery', 'DISCOVERY_DISABLE_INSTANCES', false);
}
