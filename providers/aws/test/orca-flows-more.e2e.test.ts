import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLifecycleHooksCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { awsServerE2e } from '../src/test-support/aws-server-e2e.js';
import { startCountingProxy, type CountingProxy } from '../src/test-support/counting-proxy.js';
import { MOTO_CREDENTIALS } from '../src/test-support/moto.js';

/**
 * The classic load balancer, alarm, lifecycle hook and tag operations through `POST /aws/ops` as
 * Orca posts them (then polling the task), `/roles/aws`, `/certificates/aws`, and the throttling
 * metric, against the real server process and moto_server. The `slow` account reaches moto through
 * a loopback proxy that throttles its first VPC describes.
 */

let proxy: CountingProxy;

const e2e = awsServerE2e({
  tempPrefix: 'stratus-aws-orca-more-',
  setupTimeoutMs: 240_000,
  async seed(moto) {
    proxy = await startCountingProxy(moto.endpoint);
    let throttles = 2;
    proxy.intercept = (action) =>
      action === 'DescribeVpcs' && throttles-- > 0
        ? {
            status: 503,
            contentType: 'text/xml',
            body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>',
          }
        : undefined;
    const ec2 = new EC2Client(config());
    const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'shop-api-v001', LaunchTemplateData: { ImageId: image, InstanceType: 't3.micro' } }));
    await new AutoScalingClient(config()).send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'shop-api-v001',
        LaunchTemplate: { LaunchTemplateName: 'shop-api-v001' },
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        AvailabilityZones: ['us-east-1a'],
        Tags: ['team', 'owner', 'keep'].map((Key) => ({
          Key,
          Value: 'x',
          ResourceId: 'shop-api-v001',
          ResourceType: 'auto-scaling-group',
          PropagateAtLaunch: true,
        })),
      }),
    );
    await new IAMClient(config()).send(
      new CreateRoleCommand({
        RoleName: 'shop-fn',
        AssumeRolePolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
        }),
      }),
    );
    const region = { name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] };
    return [
      { name: 'prod', accountId: '123456789012', defaultSecurityGroups: [], regions: [region] },
      { name: 'slow', accountId: '123456789012', endpoint: proxy.url, defaultSecurityGroups: [], regions: [region] },
    ];
  },
  stop: async () => proxy?.close(),
});
const { call, get, until } = e2e;
const config = () => ({ region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS });
/** Posts operations as Orca does and polls the task until it completes (generous: moto is slow on a busy machine). */
const runOps = (ops: Record<string, unknown>[]) => e2e.runOps(ops, { timeoutMs: 100_000 });

describe('more Orca AWS operations through the Stratus HTTP API', { timeout: 240_000 }, () => {
  it('creates a classic load balancer as the upsertLoadBalancer stage sends it, and reads it back', async () => {
    const task = await runOps([
      {
        upsertLoadBalancer: {
          cloudProvider: 'aws',
          credentials: 'prod',
          loadBalancerType: 'classic',
          name: 'shop-elb',
          availabilityZones: { 'us-east-1': ['us-east-1a'] },
          listeners: [{ externalProtocol: 'HTTP', externalPort: 80, internalProtocol: 'HTTP', internalPort: 7001 }],
          healthCheck: 'HTTP:7001/health',
          securityGroups: [],
        },
      },
    ]);
    expect(task.resultObjects[0]).toEqual({ loadBalancers: { 'us-east-1': { name: 'shop-elb', dnsName: expect.any(String) } } });
    expect(task.history.map((h: { phase: string }) => h.phase)).toContain('UPSERT_ELB');
    const lb = (await new ElasticLoadBalancingClient(config()).send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['shop-elb'] })))
      .LoadBalancerDescriptions![0]!;
    expect(lb.HealthCheck?.Target).toBe('HTTP:7001/health');
    const listed = await get('/aws/loadBalancers');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('shop-elb');
  });

  it('puts and deletes an alarm, a lifecycle hook and tags (Clouddriver bean names)', async () => {
    const alarm = await runOps([
      {
        upsertAlarmDescription: {
          credentials: 'prod',
          region: 'us-east-1',
          asgName: 'shop-api-v001',
          name: 'shop-api-cpu',
          metricName: 'CPUUtilization',
          namespace: 'AWS/EC2',
          statistic: 'Average',
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 80,
          evaluationPeriods: 3,
        },
      },
    ]);
    expect(alarm.resultObjects[0]).toEqual({ alarmName: 'shop-api-cpu' });
    const cw = new CloudWatchClient(config());
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-cpu'] }))).MetricAlarms).toHaveLength(1);
    await runOps([{ deleteAlarmDescription: { credentials: 'prod', region: 'us-east-1', names: ['shop-api-cpu'] } }]);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['shop-api-cpu'] }))).MetricAlarms).toEqual([]);

    const hook = await runOps([
      {
        upsertAsgLifecycleHookDescription: {
          credentials: 'prod',
          region: 'us-east-1',
          serverGroupName: 'shop-api-v001',
          roleARN: 'arn:aws:iam::123456789012:role/hooks',
          notificationTargetARN: 'arn:aws:sns:us-east-1:123456789012:hooks',
        },
      },
    ]);
    const hookName = hook.resultObjects[0].lifecycleHookName as string;
    expect(hookName).toMatch(/^shop-api-v001-lifecycle-/);
    const autoScaling = new AutoScalingClient(config());
    expect(
      (await autoScaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'shop-api-v001' }))).LifecycleHooks!.map((h) => h.LifecycleHookName),
    ).toEqual([hookName]);

    await runOps([
      { deleteAsgTagsDescription: { credentials: 'prod', asgs: [{ serverGroupName: 'shop-api-v001', region: 'us-east-1' }], tagKeys: ['team', 'owner'] } },
    ]);
    const asg = (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['shop-api-v001'] }))).AutoScalingGroups![0]!;
    expect(asg.Tags!.map((t) => t.Key)).toEqual(['keep']);
    const view = await get('/serverGroups/prod/us-east-1/shop-api-v001');
    expect(view.body.asg.tags.map((t: { key: string }) => t.key)).toEqual(['keep']);

    const bad = await call('POST', '/aws/ops', [{ upsertAlarmDescription: { credentials: 'prod', region: 'us-east-1', statistic: 'Median' } }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('statistic');
  });

  it('serves /roles/aws and /certificates/aws, and lists the new operation names in /features/stages', async () => {
    const roles = await get('/roles/aws');
    expect(roles.status).toBe(200);
    expect(roles.body).toEqual(
      expect.arrayContaining([
        {
          id: 'arn:aws:iam::123456789012:role/shop-fn',
          name: 'shop-fn',
          accountName: 'prod',
          trustRelationships: [{ type: 'Service', value: 'lambda.amazonaws.com' }],
        },
      ]),
    );
    expect((await get('/roles/gce')).body).toEqual([]);
    expect((await get('/certificates/aws?certificateType=acm')).status).toBe(200);
    expect((await get('/certificates/aws?certificateType=x')).status).toBe(400);
    const names = (await get('/features/stages')).body.map((s: { name: string }) => s.name);
    for (const name of ['upsertAlarmDescription', 'deleteAlarmDescription', 'upsertAsgLifecycleHookDescription', 'deleteAsgTagsDescription', 'deleteAsgTags'])
      expect(names).toContain(name);
  });

  it('counts the throttled calls of the throttled account only', async () => {
    const metrics = await until(
      'throttling counted',
      () => get('/metrics'),
      (a) => typeof a.body === 'string' && /stratus_aws_throttled_requests_total\{account="slow"\} [12]/.test(a.body),
    );
    expect(metrics.body).not.toMatch(/stratus_aws_throttled_requests_total\{account="prod"\}/);
    // The first throttled call of the account is logged (then the 10th, 100th, …).
    const logged = e2e.process
      .output()
      .split('\n')
      .filter((line) => line.includes('AWS is throttling this account'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('"account":"slow"');
    // The throttled account's VPCs still arrive once AWS lets it through.
    await until(
      'slow account VPCs cached',
      () => get('/vpcs'),
      (a) => Array.isArray(a.body) && a.body.some((v: { account: string }) => v.account === 'slow'),
    );
  });
});
