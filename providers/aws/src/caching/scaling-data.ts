import { paginateDescribePolicies, paginateDescribeScheduledActions } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { collectPages } from '../paginate.js';
import { toPlain } from '../plain.js';

/** The scaling policies (each with its CloudWatch alarms) and scheduled actions of each ASG, by ASG name. */
export type ScalingByAsg = Map<string, { scalingPolicies: Record<string, unknown>[]; scheduledActions: Record<string, unknown>[] }>;

const ALARM_BATCH = 100;

/**
 * Describes scaling policies and scheduled actions in bulk (every ASG of the region, or one when
 * `asgName` is given) and the alarms the policies name, as Clouddriver's ClusterCachingAgent
 * attaches them to server groups (`scalingPolicies[].alarms`, `scheduledActions`).
 */
export async function describeScaling(clients: AwsRegionClients, asgName?: string, signal?: AbortSignal): Promise<ScalingByAsg> {
  const filter = asgName ? { AutoScalingGroupName: asgName } : {};
  const policies = await collectPages(paginateDescribePolicies({ client: clients.autoScaling }, filter, { abortSignal: signal }), (p) => p.ScalingPolicies);
  signal?.throwIfAborted();
  const actions = await collectPages(
    paginateDescribeScheduledActions({ client: clients.autoScaling }, filter, { abortSignal: signal }),
    (p) => p.ScheduledUpdateGroupActions,
  );
  signal?.throwIfAborted();
  const alarmNames = [...new Set(policies.flatMap((p) => (p.Alarms ?? []).map((a) => a.AlarmName!).filter(Boolean)))];
  const alarms = new Map<string, MetricAlarm>();
  for (let i = 0; i < alarmNames.length; i += ALARM_BATCH) {
    const out = await clients.cloudWatch.send(
      new DescribeAlarmsCommand({ AlarmNames: alarmNames.slice(i, i + ALARM_BATCH) }),
      signal ? { abortSignal: signal } : {},
    );
    for (const alarm of out.MetricAlarms ?? []) if (alarm.AlarmName) alarms.set(alarm.AlarmName, alarm);
  }
  const byAsg: ScalingByAsg = new Map();
  const entry = (name: string) => byAsg.get(name) ?? byAsg.set(name, { scalingPolicies: [], scheduledActions: [] }).get(name)!;
  for (const policy of policies) {
    if (!policy.AutoScalingGroupName) continue;
    const policyAlarms = (policy.Alarms ?? []).map((a) => alarms.get(a.AlarmName ?? '')).filter((a): a is MetricAlarm => !!a);
    entry(policy.AutoScalingGroupName).scalingPolicies.push({ ...toPlain(policy), alarms: toPlain(policyAlarms) });
  }
  for (const action of actions) if (action.AutoScalingGroupName) entry(action.AutoScalingGroupName).scheduledActions.push(toPlain(action));
  return byAsg;
}
