import {
  BatchDeleteScheduledActionCommand,
  BatchPutScheduledUpdateGroupActionCommand,
  DeletePolicyCommand,
  DescribePoliciesCommand,
  DescribeScheduledActionsCommand,
  DisableMetricsCollectionCommand,
  EnableMetricsCollectionCommand,
  PutScalingPolicyCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  UpdateAutoScalingGroupCommand,
  type PutScalingPolicyCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import type { OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { str } from './description.js';
import { optionalInt } from './regional-operation.js';
import { serverGroupOperation } from './server-group-operation.js';
import { requireAsg } from './server-group-operations.js';

/** The Auto Scaling processes an ASG can suspend (the API's names). */
export const ASG_PROCESSES = [
  'Launch',
  'Terminate',
  'HealthCheck',
  'ReplaceUnhealthy',
  'AZRebalance',
  'AlarmNotification',
  'ScheduledActions',
  'AddToLoadBalancer',
  'InstanceRefresh',
];

function validateProcesses(input: Record<string, unknown>, errors: ValidationErrors): void {
  const processes = input.processes;
  if (!Array.isArray(processes) || processes.length === 0)
    errors.reject('processes', 'empty', `processes must list at least one of ${ASG_PROCESSES.join(', ')}`);
  else
    processes.forEach((p, i) => {
      if (typeof p !== 'string' || !ASG_PROCESSES.includes(p))
        errors.reject(`processes[${i}]`, 'invalid', `'${String(p)}' is not an Auto Scaling process (${ASG_PROCESSES.join(', ')})`);
    });
}

/** `resumeAsgProcessesDescription`: resumes the named scaling processes. */
export function resumeAsgProcessesOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'resumeAsgProcessesDescription',
    phase: 'RESUME_ASG_PROCESSES',
    validate: validateProcesses,
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const processes = input.processes as string[];
      await task.updateStatus('RESUME_ASG_PROCESSES', `Resuming processes ${processes.join(', ')} on ${target.serverGroupName}`);
      await clients.autoScaling.send(new ResumeProcessesCommand({ AutoScalingGroupName: target.serverGroupName, ScalingProcesses: processes }));
    },
  });
}

/** `suspendAsgProcessesDescription`: suspends the named scaling processes. */
export function suspendAsgProcessesOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'suspendAsgProcessesDescription',
    phase: 'SUSPEND_ASG_PROCESSES',
    validate: validateProcesses,
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const processes = input.processes as string[];
      await task.updateStatus('SUSPEND_ASG_PROCESSES', `Suspending processes ${processes.join(', ')} on ${target.serverGroupName}`);
      await clients.autoScaling.send(new SuspendProcessesCommand({ AutoScalingGroupName: target.serverGroupName, ScalingProcesses: processes }));
    },
  });
}

const HEALTH_CHECK_TYPES = ['EC2', 'ELB'];
const TERMINATION_POLICIES = [
  'Default',
  'OldestInstance',
  'NewestInstance',
  'OldestLaunchConfiguration',
  'ClosestToNextInstanceHour',
  'OldestLaunchTemplate',
  'AllocationStrategy',
];

/**
 * `modifyAsgDescription`: changes cooldown, health check settings, termination policies,
 * capacity rebalancing and which metrics are collected (enabling the listed ones, disabling the rest).
 */
export function modifyAsgOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'modifyAsgDescription',
    phase: 'MODIFY_ASG',
    validate(input, errors) {
      optionalInt(errors, input, 'cooldown');
      optionalInt(errors, input, 'healthCheckGracePeriod');
      if (input.healthCheckType !== undefined && input.healthCheckType !== null && !HEALTH_CHECK_TYPES.includes(input.healthCheckType as string)) {
        errors.reject('healthCheckType', 'invalid', `healthCheckType must be one of ${HEALTH_CHECK_TYPES.join(', ')}`);
      }
      if (input.terminationPolicies !== undefined && input.terminationPolicies !== null) {
        if (!Array.isArray(input.terminationPolicies)) errors.reject('terminationPolicies', 'invalid', 'terminationPolicies must be a list');
        else
          input.terminationPolicies.forEach((p, i) => {
            if (!TERMINATION_POLICIES.includes(p as string))
              errors.reject(`terminationPolicies[${i}]`, 'invalid', `'${String(p)}' is not a termination policy (${TERMINATION_POLICIES.join(', ')})`);
          });
      }
      if (
        input.enabledMetrics !== undefined &&
        input.enabledMetrics !== null &&
        (!Array.isArray(input.enabledMetrics) || input.enabledMetrics.some((m) => typeof m !== 'string'))
      ) {
        errors.reject('enabledMetrics', 'invalid', 'enabledMetrics must be a list of metric names');
      }
      if (input.capacityRebalance !== undefined && input.capacityRebalance !== null && typeof input.capacityRebalance !== 'boolean')
        errors.reject('capacityRebalance', 'invalid', 'capacityRebalance must be true or false');
    },
    async act({ target, clients, task, input }) {
      const asg = await requireAsg(clients, target.serverGroupName, target.region);
      const changes = {
        ...(typeof input.cooldown === 'number' ? { DefaultCooldown: input.cooldown } : {}),
        ...(typeof input.healthCheckGracePeriod === 'number' ? { HealthCheckGracePeriod: input.healthCheckGracePeriod } : {}),
        ...(typeof input.healthCheckType === 'string' ? { HealthCheckType: input.healthCheckType } : {}),
        ...(Array.isArray(input.terminationPolicies) ? { TerminationPolicies: input.terminationPolicies as string[] } : {}),
        ...(typeof input.capacityRebalance === 'boolean' ? { CapacityRebalance: input.capacityRebalance } : {}),
      };
      if (Object.keys(changes).length > 0) {
        await task.updateStatus('MODIFY_ASG', `Updating ${Object.keys(changes).join(', ')} of ${target.serverGroupName}`);
        await clients.autoScaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: target.serverGroupName, ...changes }));
      }
      if (Array.isArray(input.enabledMetrics)) {
        const wanted = input.enabledMetrics as string[];
        const current = (asg.EnabledMetrics ?? []).map((m) => m.Metric!).filter(Boolean);
        const disable = current.filter((m) => !wanted.includes(m));
        if (disable.length > 0) {
          await task.updateStatus('MODIFY_ASG', `Disabling metrics ${disable.join(', ')}`);
          await clients.autoScaling.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: target.serverGroupName, Metrics: disable }));
        }
        if (wanted.length > 0) {
          await task.updateStatus('MODIFY_ASG', `Enabling metrics ${wanted.join(', ')}`);
          await clients.autoScaling.send(
            new EnableMetricsCollectionCommand({ AutoScalingGroupName: target.serverGroupName, Metrics: wanted, Granularity: '1Minute' }),
          );
        }
      }
    },
  });
}

interface ScheduledAction {
  readonly recurrence: string;
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

function validateScheduledActions(input: Record<string, unknown>, errors: ValidationErrors): void {
  const actions = input.scheduledActions;
  if (!Array.isArray(actions)) {
    errors.reject('scheduledActions', 'empty', 'scheduledActions must be a list (empty removes every scheduled action)');
    return;
  }
  actions.forEach((raw, i) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    if (typeof a.recurrence !== 'string' || a.recurrence.trim().split(/\s+/).length !== 5)
      errors.reject(`scheduledActions[${i}].recurrence`, 'invalid', 'recurrence must be a cron expression of 5 fields');
    const sizes = ['minSize', 'maxSize', 'desiredCapacity'].filter((f) => a[f] !== undefined && a[f] !== null);
    if (sizes.length === 0) errors.reject(`scheduledActions[${i}]`, 'empty', 'a scheduled action sets at least one of minSize, maxSize, desiredCapacity');
    for (const f of sizes)
      if (typeof a[f] !== 'number' || !Number.isInteger(a[f]) || (a[f] as number) < 0)
        errors.reject(`scheduledActions[${i}].${f}`, 'invalid', `${f} must be a non-negative integer`);
  });
}

/**
 * `upsertAsgScheduledActionsDescription`: makes the ASG's scheduled actions exactly the listed ones
 * (Clouddriver's semantics: actions not listed are deleted), named `<asg>-schedule-<n>`.
 */
export function upsertAsgScheduledActionsOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'upsertAsgScheduledActionsDescription',
    phase: 'UPSERT_SCHEDULED_ACTIONS',
    validate: validateScheduledActions,
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const actions = input.scheduledActions as ScheduledAction[];
      const existing = await existingScheduledActions(clients, target.serverGroupName);
      const names = actions.map((_, i) => `${target.serverGroupName}-schedule-${i + 1}`);
      const stale = existing.filter((n) => !names.includes(n));
      if (stale.length > 0) {
        await task.updateStatus('UPSERT_SCHEDULED_ACTIONS', `Deleting scheduled actions ${stale.join(', ')}`);
        await clients.autoScaling.send(new BatchDeleteScheduledActionCommand({ AutoScalingGroupName: target.serverGroupName, ScheduledActionNames: stale }));
      }
      if (actions.length > 0) {
        await task.updateStatus('UPSERT_SCHEDULED_ACTIONS', `Putting ${actions.length} scheduled action(s) on ${target.serverGroupName}`);
        await clients.autoScaling.send(
          new BatchPutScheduledUpdateGroupActionCommand({
            AutoScalingGroupName: target.serverGroupName,
            ScheduledUpdateGroupActions: actions.map((a, i) => ({
              ScheduledActionName: names[i]!,
              Recurrence: a.recurrence,
              ...(a.minSize !== undefined && a.minSize !== null ? { MinSize: a.minSize } : {}),
              ...(a.maxSize !== undefined && a.maxSize !== null ? { MaxSize: a.maxSize } : {}),
              ...(a.desiredCapacity !== undefined && a.desiredCapacity !== null ? { DesiredCapacity: a.desiredCapacity } : {}),
            })),
          }),
        );
      }
    },
  });
}

/** `deleteAsgScheduledActionsDescription`: deletes the named scheduled actions, or all of them when none are named. */
export function deleteAsgScheduledActionsOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'deleteAsgScheduledActionsDescription',
    phase: 'DELETE_SCHEDULED_ACTIONS',
    validate(input, errors) {
      const names = input.scheduledActionNames;
      if (names !== undefined && names !== null && (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n === ''))) {
        errors.reject('scheduledActionNames', 'invalid', 'scheduledActionNames must be a list of names');
      }
    },
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const names = Array.isArray(input.scheduledActionNames)
        ? (input.scheduledActionNames as string[])
        : await existingScheduledActions(clients, target.serverGroupName);
      if (names.length === 0) return;
      await task.updateStatus('DELETE_SCHEDULED_ACTIONS', `Deleting scheduled actions ${names.join(', ')} of ${target.serverGroupName}`);
      await clients.autoScaling.send(new BatchDeleteScheduledActionCommand({ AutoScalingGroupName: target.serverGroupName, ScheduledActionNames: names }));
    },
  });
}

async function existingScheduledActions(clients: Parameters<typeof requireAsg>[0], asgName: string): Promise<string[]> {
  const out = await clients.autoScaling.send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: asgName }));
  return (out.ScheduledUpdateGroupActions ?? []).map((a) => a.ScheduledActionName!).filter(Boolean);
}

const ADJUSTMENT_TYPES = ['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'];
const AGGREGATIONS = ['Minimum', 'Maximum', 'Average'];
const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateScalingPolicy(input: Record<string, unknown>, errors: ValidationErrors): void {
  if (input.name !== undefined && input.name !== null && (typeof input.name !== 'string' || input.name === ''))
    errors.reject('name', 'invalid', 'name must be a non-empty string');
  if (input.adjustmentType !== undefined && input.adjustmentType !== null && !ADJUSTMENT_TYPES.includes(input.adjustmentType as string)) {
    errors.reject('adjustmentType', 'invalid', `adjustmentType must be one of ${ADJUSTMENT_TYPES.join(', ')}`);
  }
  optionalInt(errors, input, 'minAdjustmentMagnitude');
  optionalInt(errors, input, 'estimatedInstanceWarmup');
  const kinds = ['simple', 'step', 'targetTrackingConfiguration'].filter((k) => input[k] !== undefined && input[k] !== null);
  if (kinds.length === 0) errors.reject('simple', 'empty', 'one of simple, step or targetTrackingConfiguration is required');
  if (kinds.length > 1) errors.reject(kinds[1]!, 'invalid', `only one of simple, step or targetTrackingConfiguration may be given (got ${kinds.join(', ')})`);
  if (input.simple !== undefined && input.simple !== null) {
    if (!isObject(input.simple)) errors.reject('simple', 'invalid', 'simple must be {scalingAdjustment, cooldown}');
    else {
      if (typeof input.simple.scalingAdjustment !== 'number' || !Number.isInteger(input.simple.scalingAdjustment))
        errors.reject('simple.scalingAdjustment', 'invalid', 'simple.scalingAdjustment must be an integer');
      optionalInt(errors, input.simple, 'cooldown');
    }
  }
  if (input.step !== undefined && input.step !== null) {
    if (!isObject(input.step) || !Array.isArray(input.step.stepAdjustments) || input.step.stepAdjustments.length === 0) {
      errors.reject('step.stepAdjustments', 'empty', 'step.stepAdjustments must list at least one adjustment');
    } else {
      input.step.stepAdjustments.forEach((raw, i) => {
        const s = (raw ?? {}) as Record<string, unknown>;
        if (typeof s.scalingAdjustment !== 'number' || !Number.isInteger(s.scalingAdjustment))
          errors.reject(`step.stepAdjustments[${i}].scalingAdjustment`, 'invalid', 'scalingAdjustment must be an integer');
        for (const bound of ['metricIntervalLowerBound', 'metricIntervalUpperBound']) {
          if (s[bound] !== undefined && s[bound] !== null && typeof s[bound] !== 'number')
            errors.reject(`step.stepAdjustments[${i}].${bound}`, 'invalid', `${bound} must be a number`);
        }
      });
      if (
        input.step.metricAggregationType !== undefined &&
        input.step.metricAggregationType !== null &&
        !AGGREGATIONS.includes(input.step.metricAggregationType as string)
      ) {
        errors.reject('step.metricAggregationType', 'invalid', `step.metricAggregationType must be one of ${AGGREGATIONS.join(', ')}`);
      }
    }
  }
  if (input.targetTrackingConfiguration !== undefined && input.targetTrackingConfiguration !== null) {
    const t = input.targetTrackingConfiguration;
    if (!isObject(t) || typeof t.targetValue !== 'number')
      errors.reject('targetTrackingConfiguration.targetValue', 'invalid', 'targetTrackingConfiguration.targetValue must be a number');
    else if (!isObject(t.predefinedMetricSpecification) && !isObject(t.customizedMetricSpecification)) {
      errors.reject(
        'targetTrackingConfiguration.predefinedMetricSpecification',
        'empty',
        'a predefinedMetricSpecification or customizedMetricSpecification is required',
      );
    }
  }
  if (input.alarm !== undefined && input.alarm !== null) {
    const a = input.alarm;
    if (!isObject(a)) errors.reject('alarm', 'invalid', 'alarm must be an object');
    else {
      for (const f of ['metricName', 'namespace']) if (typeof a[f] !== 'string' || a[f] === '') errors.reject(`alarm.${f}`, 'empty', `alarm.${f} is required`);
      if (!COMPARISONS.includes(a.comparisonOperator as string))
        errors.reject('alarm.comparisonOperator', 'invalid', `alarm.comparisonOperator must be one of ${COMPARISONS.join(', ')}`);
      if (!STATISTICS.includes(a.statistic as string)) errors.reject('alarm.statistic', 'invalid', `alarm.statistic must be one of ${STATISTICS.join(', ')}`);
      if (typeof a.threshold !== 'number') errors.reject('alarm.threshold', 'invalid', 'alarm.threshold must be a number');
      for (const f of ['evaluationPeriods', 'period'])
        if (typeof a[f] !== 'number' || !Number.isInteger(a[f]) || (a[f] as number) < 1)
          errors.reject(`alarm.${f}`, 'invalid', `alarm.${f} must be a positive integer`);
    }
  }
}

/** The SDK's shape of a JSON object Deck sends with Java SDK (camelCase) names: capitalise every key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cache JSON turned back into SDK input; the shape is the SDK's own
export function toSdkShape(value: unknown): any {
  if (Array.isArray(value)) return value.map(toSdkShape);
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), toSdkShape(v)]),
    );
  return value;
}

/**
 * `upsertScalingPolicy` (`upsertScalingPolicyDescription`): puts a simple, step or target-tracking
 * policy (named `<asg>-policy-<time>` when unnamed) and, for simple and step policies with an
 * `alarm`, the CloudWatch alarm that triggers it. Result: `{policyName, policyArn, alarmName?}`.
 */
export function upsertScalingPolicyOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'upsertScalingPolicy',
    phase: 'UPSERT_SCALING_POLICY',
    validate: validateScalingPolicy,
    async act({ target, clients, task, input }) {
      await requireAsg(clients, target.serverGroupName, target.region);
      const policyName = str(input.name) || `${target.serverGroupName}-policy-${Date.now()}`;
      const request: PutScalingPolicyCommandInput = { AutoScalingGroupName: target.serverGroupName, PolicyName: policyName };
      if (isObject(input.targetTrackingConfiguration)) {
        Object.assign(request, {
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingConfiguration: toSdkShape(input.targetTrackingConfiguration),
          ...(typeof input.estimatedInstanceWarmup === 'number' ? { EstimatedInstanceWarmup: input.estimatedInstanceWarmup } : {}),
        });
      } else {
        Object.assign(request, {
          AdjustmentType: (input.adjustmentType as string) ?? 'ChangeInCapacity',
          ...(typeof input.minAdjustmentMagnitude === 'number' ? { MinAdjustmentMagnitude: input.minAdjustmentMagnitude } : {}),
        });
        if (isObject(input.step)) {
          const step = input.step;
          Object.assign(request, {
            PolicyType: 'StepScaling',
            StepAdjustments: toSdkShape(step.stepAdjustments),
            ...(typeof step.estimatedInstanceWarmup === 'number' ? { EstimatedInstanceWarmup: step.estimatedInstanceWarmup } : {}),
            ...(typeof step.metricAggregationType === 'string' ? { MetricAggregationType: step.metricAggregationType } : {}),
          });
        } else {
          const simple = input.simple as Record<string, unknown>;
          Object.assign(request, {
            PolicyType: 'SimpleScaling',
            Cooldown: typeof simple.cooldown === 'number' ? simple.cooldown : 600,
            ScalingAdjustment: simple.scalingAdjustment,
          });
        }
      }
      await task.updateStatus('UPSERT_SCALING_POLICY', `Putting ${request.PolicyType} policy ${policyName} on ${target.serverGroupName}`);
      const out = await clients.autoScaling.send(new PutScalingPolicyCommand(request));
      // Some endpoints (moto) leave the ARN out of the answer: read it back.
      const policyArn =
        out.PolicyARN ??
        (await clients.autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: target.serverGroupName, PolicyNames: [policyName] })))
          .ScalingPolicies?.[0]?.PolicyARN;
      const result: Record<string, unknown> = { policyName, policyArn };
      if (isObject(input.alarm) && !isObject(input.targetTrackingConfiguration)) {
        const alarm = input.alarm;
        const alarmName = str(alarm.name) || `${target.serverGroupName}-alarm-${alarm.metricName as string}-${Date.now()}`;
        const actions = [...((alarm.alarmActionArns as string[] | undefined) ?? [])];
        if (policyArn && !actions.includes(policyArn)) actions.push(policyArn);
        const dimensions =
          Array.isArray(alarm.dimensions) && alarm.dimensions.length > 0
            ? toSdkShape(alarm.dimensions)
            : [{ Name: 'AutoScalingGroupName', Value: target.serverGroupName }];
        const alarmRequest: PutMetricAlarmCommandInput = {
          AlarmName: alarmName,
          AlarmDescription: str(alarm.alarmDescription) || undefined,
          ActionsEnabled: alarm.actionsEnabled !== false,
          AlarmActions: actions,
          OKActions: (alarm.okActionArns as string[] | undefined) ?? [],
          InsufficientDataActions: (alarm.insufficientDataActionArns as string[] | undefined) ?? [],
          ComparisonOperator: alarm.comparisonOperator as never,
          Dimensions: dimensions,
          EvaluationPeriods: alarm.evaluationPeriods as number,
          Period: alarm.period as number,
          Threshold: alarm.threshold as number,
          Namespace: alarm.namespace as string,
          MetricName: alarm.metricName as string,
          Statistic: alarm.statistic as never,
          ...(typeof alarm.unit === 'string' ? { Unit: alarm.unit as never } : {}),
        };
        await task.updateStatus('UPSERT_SCALING_POLICY', `Putting alarm ${alarmName} on ${alarm.namespace as string}/${alarm.metricName as string}`);
        await clients.cloudWatch.send(new PutMetricAlarmCommand(alarmRequest));
        result.alarmName = alarmName;
      }
      return result;
    },
  });
}

/** `deleteScalingPolicy` (`deleteScalingPolicyDescription`): deletes one policy by name. */
export function deleteScalingPolicyOperation(deps: AwsOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'deleteScalingPolicy',
    phase: 'DELETE_SCALING_POLICY',
    validate(input, errors) {
      if (typeof input.policyName !== 'string' || input.policyName === '') errors.reject('policyName', 'empty', 'policyName is required');
    },
    async act({ target, clients, task, input }) {
      await task.updateStatus('DELETE_SCALING_POLICY', `Deleting scaling policy ${input.policyName as string} of ${target.serverGroupName}`);
      await clients.autoScaling.send(new DeletePolicyCommand({ AutoScalingGroupName: target.serverGroupName, PolicyName: input.policyName as string }));
    },
  });
}
