import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancerAttributesCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import type { OperationContext } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { motoHarness } from '../test-support/moto-harness.js';
import { fillArnTemplate } from './asg-hook-and-tag-operations.js';

/**
 * Classic load balancers, CloudWatch alarms, lifecycle hooks and tag deletion, each driven through
 * its converter and validator as Orca or Deck sends it, against moto_server through the real SDK,
 * then checked in AWS and in the read models.
 */

const aws = motoHarness({
  account: { name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }] },
  startTimeoutMs: 90_000,
  image: true,
});
const { config } = aws;
const asg = () => new AutoScalingClient(config());
const elb = () => new ElasticLoadBalancingClient(config());
const base = { credentials: 'prod', region: 'us-east-1' };
const statuses = (run: { history: { status: string }[] }) => run.history.map((l) => l.status);
const ok = <R extends { errors: unknown[] }>(run: R): R => {
  expect(run.errors).toEqual([]);
  return run;
};

async function templateAsg(name: string, tags: Record<string, string> = {}): Promise<void> {
  await new EC2Client(config()).send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: aws.imageId, InstanceType: 't3.micro' } }),
  );
  await asg().send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name },
      MinSize: 0,
      MaxSize: 2,
      DesiredCapacity: 0,
      AvailabilityZones: ['us-east-1a'],
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, ResourceId: name, ResourceType: 'auto-scaling-group', PropagateAtLaunch: true })),
    }),
  );
}

describe('classic load balancers (upsertLoadBalancer without a type, as Clouddriver defaults)', { timeout: 90_000 }, () => {
  const classic = {
    credentials: 'prod',
    name: 'shop-classic',
    availabilityZones: { 'us-east-1': ['us-east-1a', 'us-east-1b'] },
    listeners: [{ externalProtocol: 'HTTP', externalPort: 80, internalProtocol: 'HTTP', internalPort: 7001 }],
    healthCheck: 'HTTP:7001/health',
    healthInterval: 15,
    healthyThreshold: 3,
    connectionDraining: true,
    deregistrationDelay: 120,
  };

  it('creates one with listeners, health check and attributes; updates listeners; deletes it', async () => {
    const created = ok(await aws.h.runOperation('upsertAmazonLoadBalancerDescription', classic));
    expect(created.result).toEqual({ loadBalancers: { 'us-east-1': { name: 'shop-classic', dnsName: expect.stringContaining('shop-classic') } } });
    expect(statuses(created)).toEqual(expect.arrayContaining(['Creating shop-classic in prod:us-east-1...', 'Healthcheck configured.']));
    const lb = (await elb().send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['shop-classic'] }))).LoadBalancerDescriptions![0]!;
    expect(lb.ListenerDescriptions!.map((l) => l.Listener)).toEqual([expect.objectContaining({ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 7001 })]);
    expect(lb.HealthCheck).toMatchObject({ Target: 'HTTP:7001/health', Interval: 15, HealthyThreshold: 3, UnhealthyThreshold: 2, Timeout: 5 });
    const attributes = (await elb().send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: 'shop-classic' }))).LoadBalancerAttributes!;
    expect(attributes.CrossZoneLoadBalancing?.Enabled).toBe(true);
    expect(attributes.ConnectionDraining).toMatchObject({ Enabled: true, Timeout: 120 });
    // Cached by the classic agent's refresh: the read API shows it at once.
    const details = await aws.h.readModels.loadBalancers!.getDetails('prod', 'us-east-1', 'shop-classic');
    expect(details).toEqual([expect.objectContaining({ loadBalancerName: 'shop-classic', loadBalancerType: 'classic' })]);

    const updated = ok(
      await aws.h.runOperation('upsertLoadBalancer', {
        ...classic,
        loadBalancerType: 'classic',
        listeners: [{ externalProtocol: 'TCP', externalPort: 8080, internalPort: 7002 }],
      }),
    );
    expect(statuses(updated)).toEqual(
      expect.arrayContaining([
        'Found existing load balancer named shop-classic in us-east-1... Using that.',
        'Listener removed from shop-classic (80:HTTP:7001).',
        'Listener added to shop-classic (8080:TCP:7002).',
      ]),
    );
    const after = (await elb().send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['shop-classic'] }))).LoadBalancerDescriptions![0]!;
    expect(
      after.ListenerDescriptions!.map((l) => [l.Listener!.Protocol, l.Listener!.LoadBalancerPort, l.Listener!.InstanceProtocol, l.Listener!.InstancePort]),
    ).toEqual([['TCP', 8080, 'TCP', 7002]]);

    const deleted = ok(await aws.h.runOperation('deleteLoadBalancer', { ...base, loadBalancerName: 'shop-classic' }));
    expect(statuses(deleted)).toContain('Deleted classic load balancer shop-classic');
    expect((await elb().send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions ?? []).toEqual([]);
    expect(await aws.h.readModels.loadBalancers!.getDetails('prod', 'us-east-1', 'shop-classic')).toEqual([]);
  });

  it('names bad classic fields', async () => {
    const run = await aws.h.runOperation('upsertLoadBalancer', {
      ...classic,
      listeners: [{ externalProtocol: 'UDP', externalPort: 80, internalPort: 0 }],
      healthCheck: '/health',
      healthInterval: 0,
    });
    expect(run.errors.map((e) => e.field).sort()).toEqual(['healthCheck', 'healthInterval', 'listeners[0].externalProtocol', 'listeners[0].internalPort']);
    const none = await aws.h.runOperation('upsertLoadBalancer', { ...classic, listeners: [] });
    expect(none.errors.map((e) => e.field)).toEqual(['listeners']);
  });
});

describe('alarms (upsertAlarmDescription / deleteAlarmDescription)', { timeout: 90_000 }, () => {
  const alarm = {
    ...base,
    asgName: 'shop-web-v001',
    metricName: 'CPUUtilization',
    namespace: 'AWS/EC2',
    statistic: 'Average',
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 70,
    evaluationPeriods: 2,
    period: 60,
  };

  it('puts an alarm on the server group with the policy of an earlier step as its action, and deletes it', async () => {
    await templateAsg('shop-web-v001');
    const policy = ok(
      await aws.h.runOperation('upsertScalingPolicy', {
        ...base,
        serverGroupName: 'shop-web-v001',
        adjustmentType: 'ChangeInCapacity',
        simple: { scalingAdjustment: 1, cooldown: 60 },
      }),
    ).result as { policyArn: string };
    expect(policy.policyArn).toMatch(/^arn:aws:autoscaling:/);

    // Orca sends both in one request: the alarm step receives the policy result as a prior output.
    const definition = aws.h.operations.get('upsertAlarmDescription')!;
    const history: string[] = [];
    const context: OperationContext = {
      task: { id: 't', updateStatus: async (_p, s) => void history.push(s), addOutput: async () => {} },
      signal: new AbortController().signal,
      account: () => undefined,
    };
    const result = (await definition.converter.convertOperation(definition.converter.convertDescription(alarm)).operate([policy], context)) as {
      alarmName: string;
    };
    expect(result.alarmName).toMatch(/^shop-web-v001-alarm-[0-9a-f]{12}$/);
    const cw = new CloudWatchClient(config());
    const stored = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [result.alarmName] }))).MetricAlarms![0]!;
    expect(stored).toMatchObject({
      MetricName: 'CPUUtilization',
      Threshold: 70,
      EvaluationPeriods: 2,
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [policy.policyArn],
    });
    expect(stored.Dimensions).toEqual([{ Name: 'AutoScalingGroupName', Value: 'shop-web-v001' }]);
    expect(history).toContain(`Putting alarm ${result.alarmName} (AWS/EC2/CPUUtilization) in prod/us-east-1`);

    const named = ok(await aws.h.runOperation('upsertAlarm', { ...alarm, name: 'shop-high-cpu' }));
    expect(named.result).toEqual({ alarmName: 'shop-high-cpu' });

    const deleted = ok(await aws.h.runOperation('deleteAlarmDescription', { ...base, names: [result.alarmName, 'shop-high-cpu'] }));
    expect(statuses(deleted)).toContain(`Done deleting ${result.alarmName}, shop-high-cpu in us-east-1 for prod.`);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it('names bad alarm fields', async () => {
    const run = await aws.h.runOperation('upsertAlarmDescription', {
      ...base,
      comparisonOperator: 'Bigger',
      statistic: 'Median',
      threshold: 'high',
      evaluationPeriods: 0,
    });
    expect(run.errors.map((e) => e.field).sort()).toEqual(['comparisonOperator', 'evaluationPeriods', 'metricName', 'namespace', 'statistic', 'threshold']);
    const del = await aws.h.runOperation('deleteAlarmDescription', { ...base, names: [] });
    expect(del.errors.map((e) => e.field)).toEqual(['names']);
  });
});

describe('lifecycle hooks and tag deletion', { timeout: 90_000 }, () => {
  const hook = { roleARN: 'arn:aws:iam::{{accountId}}:role/hooks', notificationTargetARN: 'arn:aws:sns:{{region}}:{{accountId}}:shop-hooks' };

  it('puts a lifecycle hook (upsertAsgLifecycleHookDescription) with Clouddriver defaults and filled-in ARNs', async () => {
    await templateAsg('shop-web-v001');
    const run = ok(await aws.h.runOperation('upsertAsgLifecycleHookDescription', { ...base, serverGroupName: 'shop-web-v001', name: 'drain me', ...hook }));
    expect(run.result).toEqual({ lifecycleHookName: 'drain_me' });
    const hooks = (await asg().send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'shop-web-v001' }))).LifecycleHooks!;
    expect(hooks).toEqual([
      expect.objectContaining({
        LifecycleHookName: 'drain_me',
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        DefaultResult: 'ABANDON',
        HeartbeatTimeout: 3600,
      }),
    ]);
    // moto answers fixed role and target ARNs whatever was put, so the templating is checked on its own.
    const account = aws.h.handle.accounts.get('prod')!;
    expect([fillArnTemplate(hook.roleARN, 'us-east-1', account), fillArnTemplate(hook.notificationTargetARN, 'eu-west-1', account)]).toEqual([
      'arn:aws:iam::123456789012:role/hooks',
      'arn:aws:sns:eu-west-1:123456789012:shop-hooks',
    ]);
    const bad = await aws.h.runOperation('upsertAsgLifecycleHookDescription', {
      ...base,
      serverGroupName: 'shop-web-v001',
      heartbeatTimeout: 7200,
      lifecycleTransition: 'Sideways',
    });
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['heartbeatTimeout', 'lifecycleTransition', 'notificationTargetARN', 'roleARN']);
  });

  it('a deploy puts the lifecycle hooks it carries on the new server group', async () => {
    const run = ok(
      await aws.h.runOperation('createServerGroup', {
        ...base,
        application: 'shop',
        availabilityZones: { 'us-east-1': ['us-east-1a'] },
        capacity: { min: 0, max: 1, desired: 0 },
        imageId: aws.imageId,
        instanceType: 't3.micro',
        lifecycleHooks: [{ ...hook, lifecycleTransition: 'EC2InstanceLaunching', heartbeatTimeout: 600, defaultResult: 'CONTINUE' }],
      }),
    );
    expect(statuses(run).some((s) => /^Creating lifecycle hook shop-v000-lifecycle-[0-9a-f]+ on us-east-1\/shop-v000$/.test(s))).toBe(true);
    const hooks = (await asg().send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'shop-v000' }))).LifecycleHooks!;
    expect(hooks).toEqual([
      expect.objectContaining({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 600, DefaultResult: 'CONTINUE' }),
    ]);
    const bad = await aws.h.runOperation('createServerGroup', {
      ...base,
      application: 'shop',
      availabilityZones: { 'us-east-1': [] },
      capacity: { min: 0, max: 1, desired: 0 },
      imageId: aws.imageId,
      instanceType: 't3.micro',
      lifecycleHooks: [{ roleARN: 'x' }],
    });
    expect(bad.errors.map((e) => e.field)).toEqual(['lifecycleHooks[0].notificationTargetARN']);
  });

  it('deletes tags from server groups (deleteAsgTagsDescription) and refreshes them', async () => {
    await templateAsg('shop-web-v001', { team: 'checkout', owner: 'ann', keep: 'yes' });
    const run = ok(
      await aws.h.runOperation('deleteAsgTagsDescription', {
        credentials: 'prod',
        asgs: [
          { serverGroupName: 'shop-web-v001', region: 'us-east-1' },
          { serverGroupName: 'shop-web-v404', region: 'us-east-1' },
        ],
        tagKeys: ['team', 'owner'],
      }),
    );
    expect(statuses(run)).toEqual(
      expect.arrayContaining(['Tags team, owner deleted for shop-web-v001 in us-east-1', 'No ASG named shop-web-v404 found in us-east-1']),
    );
    const tags = (await asg().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['shop-web-v001'] }))).AutoScalingGroups![0]!.Tags!;
    expect(tags.map((t) => t.Key)).toEqual(['keep']);
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v001')) as unknown as { asg: { tags: { key: string }[] } };
    expect(view.asg.tags.map((t) => t.key)).toEqual(['keep']);
    const bad = await aws.h.runOperation('deleteAsgTags', { ...base, serverGroupName: 'shop-web-v001', tagKeys: [''] });
    expect(bad.errors.map((e) => e.field)).toEqual(['tagKeys']);
  });
});
