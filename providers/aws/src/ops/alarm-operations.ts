import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type ComparisonOperator,
  type Statistic,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import type { OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { randomBytes } from 'node:crypto';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { optionalInt, regionalOperation, requireString } from './regional-operation.js';

const COMPARISONS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : []);

function validateStrings(errors: ValidationErrors, input: Record<string, unknown>, field: string): void {
  const value = input[field];
  if (value !== undefined && value !== null && (!Array.isArray(value) || value.some((v) => typeof v !== 'string')))
    errors.reject(field, 'invalid', `${field} must be a list of strings`);
}

/** Where the operation passes a prior scaling policy's ARN to its own step (never read from the request). */
const PRIOR_POLICY_ARN = '\u0000priorPolicyArn';

/** Clouddriver's `IdGenerator`-style suffix for generated names. */
export const generatedId = (): string => randomBytes(6).toString('hex');

/**
 * `upsertAlarmDescription` (Clouddriver's `UpsertAlarmAtomicOperation`): CloudWatch
 * `PutMetricAlarm`. The name defaults to `<asgName>-alarm-<id>`; an `asgName` adds the
 * `AutoScalingGroupName` dimension; the policy ARN of an `upsertScalingPolicy` earlier in the same
 * request is added to the alarm actions. Result: `{alarmName}`. The server group's cached scaling
 * data (which carries its alarms) is refreshed.
 */
export function upsertAlarmOperation(deps: AwsOperationDeps): OperationDefinition {
  const definition = regionalOperation(deps, {
    name: 'upsertAlarmDescription',
    phase: 'UPSERT_ALARM',
    validate(input, errors) {
      requireString(errors, input, 'metricName');
      requireString(errors, input, 'namespace');
      if (!COMPARISONS.includes(input.comparisonOperator as string))
        errors.reject('comparisonOperator', 'invalid', `comparisonOperator must be one of ${COMPARISONS.join(', ')}`);
      if (!STATISTICS.includes(input.statistic as string)) errors.reject('statistic', 'invalid', `statistic must be one of ${STATISTICS.join(', ')}`);
      if (typeof input.threshold !== 'number' || !Number.isFinite(input.threshold)) errors.reject('threshold', 'invalid', 'threshold must be a number');
      if (input.evaluationPeriods === undefined || input.evaluationPeriods === null)
        errors.reject('evaluationPeriods', 'empty', 'evaluationPeriods is required');
      optionalInt(errors, input, 'evaluationPeriods', 1);
      optionalInt(errors, input, 'period', 10);
      for (const field of ['alarmActionArns', 'insufficientDataActionArns', 'okActionArns']) validateStrings(errors, input, field);
      const dimensions = input.dimensions;
      if (dimensions !== undefined && dimensions !== null) {
        const ok =
          Array.isArray(dimensions) &&
          dimensions.every(
            (d) => d && typeof d === 'object' && typeof (d as { name?: unknown }).name === 'string' && typeof (d as { value?: unknown }).value === 'string',
          );
        if (!ok) errors.reject('dimensions', 'invalid', 'dimensions must be a list of {name, value} strings');
      }
    },
    async act({ account, region, clients, task, input }) {
      const asgName = typeof input.asgName === 'string' && input.asgName !== '' ? input.asgName : undefined;
      const alarmName = typeof input.name === 'string' && input.name !== '' ? input.name : `${asgName ? `${asgName}-` : ''}alarm-${generatedId()}`;
      const dimensions = ((input.dimensions as { name: string; value: string }[] | undefined) ?? []).map((d) => ({ Name: d.name, Value: d.value }));
      if (asgName && !dimensions.some((d) => d.Name === 'AutoScalingGroupName')) dimensions.push({ Name: 'AutoScalingGroupName', Value: asgName });
      const alarmActions = strings(input.alarmActionArns);
      const policyArn = input[PRIOR_POLICY_ARN];
      if (typeof policyArn === 'string' && !alarmActions.includes(policyArn)) alarmActions.push(policyArn);
      await task.updateStatus('UPSERT_ALARM', `Putting alarm ${alarmName} (${input.namespace}/${input.metricName}) in ${account.name}/${region}`);
      await clients.cloudWatch.send(
        new PutMetricAlarmCommand({
          AlarmName: alarmName,
          ActionsEnabled: input.actionsEnabled !== false,
          ...(typeof input.alarmDescription === 'string' ? { AlarmDescription: input.alarmDescription } : {}),
          ComparisonOperator: input.comparisonOperator as ComparisonOperator,
          EvaluationPeriods: input.evaluationPeriods as number,
          Period: typeof input.period === 'number' ? input.period : 300,
          Threshold: input.threshold as number,
          Namespace: input.namespace as string,
          MetricName: input.metricName as string,
          Statistic: input.statistic as Statistic,
          ...(typeof input.unit === 'string' ? { Unit: input.unit as StandardUnit } : {}),
          Dimensions: dimensions,
          AlarmActions: alarmActions,
          InsufficientDataActions: strings(input.insufficientDataActionArns),
          OKActions: strings(input.okActionArns),
        }),
      );
      if (asgName) await deps.refresher.serverGroup(account.name, region, asgName);
      return { alarmName };
    },
  });
  return {
    ...definition,
    converter: {
      convertDescription: (input) => definition.converter.convertDescription(input),
      // The last upsertScalingPolicy result before this one lends its policy ARN to the alarm actions.
      convertOperation: (description) => ({
        operate: (prior, context) => {
          const policy = [...prior]
            .reverse()
            .find((p): p is { policyArn: string } => typeof (p as { policyArn?: unknown } | undefined)?.policyArn === 'string');
          const input = policy ? { ...description.input, [PRIOR_POLICY_ARN]: policy.policyArn } : description.input;
          return definition.converter.convertOperation({ ...description, input }).operate(prior, context);
        },
      }),
    },
  };
}

/**
 * `deleteAlarmDescription` (Clouddriver's `DeleteAlarmAtomicOperation`): CloudWatch `DeleteAlarms`
 * for `names` in `region`. The server groups the alarms watched (their `AutoScalingGroupName`
 * dimension) are refreshed so their scaling policies no longer show them.
 */
export function deleteAlarmOperation(deps: AwsOperationDeps): OperationDefinition {
  return regionalOperation(deps, {
    name: 'deleteAlarmDescription',
    phase: 'DELETE_ALARM',
    validate(input, errors) {
      if (strings(input.names).length === 0) errors.reject('names', 'empty', 'names must list at least one alarm');
      validateStrings(errors, input, 'names');
    },
    async act({ account, region, clients, task, input }) {
      const names = strings(input.names);
      const what = `${names.join(', ')} in ${region} for ${account.name}`;
      const described = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
      const asgs = new Set(
        (described.MetricAlarms ?? []).flatMap((alarm) => (alarm.Dimensions ?? []).filter((d) => d.Name === 'AutoScalingGroupName').map((d) => d.Value!)),
      );
      await task.updateStatus('DELETE_ALARM', `Deleting ${what}.`);
      await clients.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: names }));
      for (const asg of asgs) await deps.refresher.serverGroup(account.name, region, asg);
      await task.updateStatus('DELETE_ALARM', `Done deleting ${what}.`);
    },
  });
}
