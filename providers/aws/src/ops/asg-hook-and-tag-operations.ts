import { DeleteTagsCommand, DescribeAutoScalingGroupsCommand, PutLifecycleHookCommand } from '@aws-sdk/client-auto-scaling';
import type { OperationDefinition } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { generatedId } from './alarm-operations.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { regionalOperation, requireString } from './regional-operation.js';
import { serverGroupOperation } from './server-group-operation.js';

const TRANSITIONS = ['autoscaling:EC2_INSTANCE_LAUNCHING', 'autoscaling:EC2_INSTANCE_TERMINATING'];
/** Clouddriver's `Transition` enum names, as Deck and pipelines send them. */
const TRANSITION_NAMES: Record<string, string> = {
  EC2InstanceLaunching: 'autoscaling:EC2_INSTANCE_LAUNCHING',
  EC2InstanceTerminating: 'autoscaling:EC2_INSTANCE_TERMINATING',
};
const RESULTS = ['CONTINUE', 'ABANDON'];

/** A lifecycle hook as Clouddriver's `AmazonAsgLifecycleHook` / `UpsertAsgLifecycleHookDescription` carry it. */
export interface LifecycleHookInput {
  readonly name?: unknown;
  readonly roleARN?: unknown;
  readonly notificationTargetARN?: unknown;
  readonly notificationMetadata?: unknown;
  readonly lifecycleTransition?: unknown;
  readonly heartbeatTimeout?: unknown;
  readonly defaultResult?: unknown;
}

/** The AWS transition for Clouddriver's enum name or the AWS value itself; undefined when unknown. */
export function lifecycleTransitionOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'autoscaling:EC2_INSTANCE_TERMINATING';
  if (typeof value !== 'string') return undefined;
  return TRANSITION_NAMES[value] ?? (TRANSITIONS.includes(value) ? value : undefined);
}

/** Field errors of one hook, prefixed with `prefix` (`''` for the top-level description). */
export function lifecycleHookProblems(hook: LifecycleHookInput, prefix = ''): { field: string; code: string; message: string }[] {
  const problems: { field: string; code: string; message: string }[] = [];
  for (const field of ['roleARN', 'notificationTargetARN'] as const) {
    if (typeof hook[field] !== 'string' || hook[field] === '')
      problems.push({ field: `${prefix}${field}`, code: 'empty', message: `${prefix}${field} is required` });
  }
  if (!lifecycleTransitionOf(hook.lifecycleTransition)) {
    problems.push({
      field: `${prefix}lifecycleTransition`,
      code: 'invalid',
      message: `${prefix}lifecycleTransition must be one of ${[...Object.keys(TRANSITION_NAMES), ...TRANSITIONS].join(', ')}`,
    });
  }
  const timeout = hook.heartbeatTimeout;
  if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 30 || timeout > 3600)) {
    problems.push({ field: `${prefix}heartbeatTimeout`, code: 'invalid', message: 'Heartbeat Timeout must be an integer from 30 to 3600 seconds' });
  }
  if (hook.defaultResult !== undefined && hook.defaultResult !== null && !RESULTS.includes(hook.defaultResult as string)) {
    problems.push({ field: `${prefix}defaultResult`, code: 'invalid', message: `${prefix}defaultResult must be CONTINUE or ABANDON` });
  }
  return problems;
}

/** Clouddriver's `cleanLifecycleHookName`: characters AWS refuses become `_`. */
export const cleanLifecycleHookName = (name: string): string => name.replace(/[^A-Za-z0-9\-_/]/g, '_');

/** `{{region}}` and `{{accountId}}` in an ARN, filled in as Clouddriver's `AsgLifecycleHookWorker` does. */
export const fillArnTemplate = (template: string, region: string, account: AwsAccount): string =>
  template.replaceAll('{{region}}', region).replaceAll('{{accountId}}', account.accountId ?? '');

/** Puts one lifecycle hook on an ASG; returns the hook's name. */
export async function putLifecycleHook(
  clients: AwsRegionClients,
  account: AwsAccount,
  region: string,
  asgName: string,
  hook: LifecycleHookInput,
): Promise<string> {
  const name = cleanLifecycleHookName(typeof hook.name === 'string' && hook.name !== '' ? hook.name : `${asgName}-lifecycle-${generatedId()}`);
  await clients.autoScaling.send(
    new PutLifecycleHookCommand({
      AutoScalingGroupName: asgName,
      LifecycleHookName: name,
      LifecycleTransition: lifecycleTransitionOf(hook.lifecycleTransition)!,
      RoleARN: fillArnTemplate(hook.roleARN as string, region, account),
      NotificationTargetARN: fillArnTemplate(hook.notificationTargetARN as string, region, account),
      ...(typeof hook.notificationMetadata === 'string' ? { NotificationMetadata: hook.notificationMetadata } : {}),
      HeartbeatTimeout: typeof hook.heartbeatTimeout === 'number' ? hook.heartbeatTimeout : 3600,
      DefaultResult: typeof hook.defaultResult === 'string' ? hook.defaultResult : 'ABANDON',
    }),
  );
  return name;
}

/**
 * `upsertAsgLifecycleHookDescription` (Clouddriver's `UpsertAsgLifecycleHookAtomicOperation`):
 * `PutLifecycleHook` on `serverGroupName` in `region`. Defaults as Clouddriver's: a terminating
 * transition, a 3600 s heartbeat, `ABANDON`, and the name `<serverGroupName>-lifecycle-<id>`.
 * Result: `{lifecycleHookName}`.
 */
export function upsertAsgLifecycleHookOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'upsertAsgLifecycleHookDescription',
    phase: 'UPSERT_ASG_LIFECYCLE',
    validate(input, errors) {
      requireString(errors, input, 'serverGroupName');
      for (const p of lifecycleHookProblems(input)) errors.reject(p.field, p.code, p.message);
    },
    applicationsOf: (input) => (typeof input.serverGroupName === 'string' ? [input.serverGroupName.split('-')[0]!] : []),
    async act({ account, region, clients, task, input }) {
      const asgName = input.serverGroupName as string;
      const found = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }));
      if (!found.AutoScalingGroups?.length) throw new Error(`Server group ${asgName} not found in ${region}`);
      const name = await putLifecycleHook(clients, account, region, asgName, input);
      await task.updateStatus(
        'UPSERT_ASG_LIFECYCLE',
        `Put lifecycle hook ${name} (${lifecycleTransitionOf(input.lifecycleTransition)}) on ${region}/${asgName}`,
      );
      return { lifecycleHookName: name };
    },
  });
}

/**
 * `deleteAsgTagsDescription` (Clouddriver's `DeleteAsgTagsAtomicOperation`): removes `tagKeys`
 * from each server group (`asgs[]`, or `serverGroupName`/`asgName` with `region`/`regions`). A
 * server group that no longer exists is reported in the history and skipped, as Clouddriver does.
 */
export function deleteAsgTagsOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'deleteAsgTagsDescription',
    phase: 'DELETE_ASG_TAGS',
    validate(input, errors) {
      const keys = input.tagKeys;
      if (!Array.isArray(keys) || keys.length === 0) errors.reject('tagKeys', 'empty', 'tagKeys must list at least one tag name');
      else if (keys.some((k) => typeof k !== 'string' || k === '')) errors.reject('tagKeys', 'invalid', 'tagKeys must be non-empty strings');
    },
    async act({ target, clients, task, input }) {
      const asg = target.serverGroupName;
      const found = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asg] }));
      if (!found.AutoScalingGroups?.length) {
        await task.updateStatus('DELETE_ASG_TAGS', `No ASG named ${asg} found in ${target.region}`);
        return;
      }
      const keys = input.tagKeys as string[];
      await clients.autoScaling.send(new DeleteTagsCommand({ Tags: keys.map((Key) => ({ Key, ResourceId: asg, ResourceType: 'auto-scaling-group' })) }));
      await task.updateStatus('DELETE_ASG_TAGS', `Tags ${keys.join(', ')} deleted for ${asg} in ${target.region}`);
    },
  });
}
