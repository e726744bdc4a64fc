import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribePoliciesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateImageCommand,
  CreateLaunchTemplateCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsServerE2e } from '../src/test-support/aws-server-e2e.js';
import { MOTO_CREDENTIALS } from '../src/test-support/moto.js';

/**
 * Orca's AWS stages against the real server process and a moto_server, as Orca sequences them:
 * the security group upsert (GET /vpcs first), a deploy into a non-bake account (allowLaunchDescription
 * first), and a scaling policy stage; plus Gate's infrastructure reads. The world (VPC, subnet, a
 * baked image in the bake account, an ASG) is seeded in moto before the server starts.
 */

let vpcId = '';
let bakedImageId = '';
const BAKED_NAME = 'shop-1.0.0-h12.abc-x86_64-202601010000-ebs';

const e2e = awsServerE2e({
  tempPrefix: 'stratus-aws-orca-',
  setupTimeoutMs: 240_000,
  async seed(moto) {
    const config = { region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
    const ec2 = new EC2Client(config);
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    vpcId = vpc.Vpc!.VpcId!;
    await ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'Name', Value: 'vpc0' }] }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24', AvailabilityZone: 'us-east-1a' }));
    await ec2.send(
      new CreateTagsCommand({ Resources: [subnet.Subnet!.SubnetId!], Tags: [{ Key: 'immutable_metadata', Value: '{"purpose":"internal","target":"ec2"}' }] }),
    );
    // The bake account (prod, moto's default account) owns a baked image, tagged as Rosco tags it.
    const base = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    const run = await ec2.send(new RunInstancesCommand({ ImageId: base, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }));
    bakedImageId = (await ec2.send(new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId!, Name: BAKED_NAME }))).ImageId!;
    await ec2.send(new CreateTagsCommand({ Resources: [bakedImageId], Tags: [{ Key: 'appversion', Value: 'shop-1.0.0-h12.abc/job/12' }] }));
    // An existing server group for the scaling policy stage.
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'shop-api-v003', LaunchTemplateData: { ImageId: base, InstanceType: 't3.micro' } }));
    await new AutoScalingClient(config).send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'shop-api-v003',
        LaunchTemplate: { LaunchTemplateName: 'shop-api-v003' },
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 1,
        AvailabilityZones: ['us-east-1a'],
      }),
    );

    const accounts = [
      { name: 'prod', accountId: '123456789012', defaultSecurityGroups: [], regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }] },
      {
        name: 'test',
        accountId: '111111111111',
        assumeRole: 'role/spinnaker',
        defaultSecurityGroups: [],
        regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }],
      },
    ];
    return accounts;
  },
});
const { call, get, until, runOps } = e2e;

describe('Orca AWS stages through the Stratus HTTP API', { timeout: 120_000 }, () => {
  it('serves Gate and Orca infrastructure reads: /vpcs, /networks, /subnets, /instanceTypes', async () => {
    const vpcs = await until(
      'VPCs cached',
      () => get('/vpcs'),
      (a) => Array.isArray(a.body) && a.body.some((v: { id: string }) => v.id === vpcId),
    );
    expect(vpcs.body.find((v: { id: string }) => v.id === vpcId)).toEqual({
      cloudProvider: 'aws',
      id: vpcId,
      name: 'vpc0',
      account: 'prod',
      region: 'us-east-1',
      deprecated: false,
    });
    const networks = await get('/networks');
    expect(Object.keys(networks.body)).toEqual(['aws']);
    expect(networks.body.aws.some((n: { id: string }) => n.id === vpcId)).toBe(true);
    const subnets = await until(
      'subnets cached',
      () => get('/subnets'),
      (a) => Array.isArray(a.body) && a.body.some((s: { vpcId: string }) => s.vpcId === vpcId),
    );
    expect(subnets.body.find((s: { vpcId: string }) => s.vpcId === vpcId)).toMatchObject({
      type: 'aws',
      purpose: 'internal',
      target: 'ec2',
      availabilityZone: 'us-east-1a',
      account: 'prod',
    });
    expect((await get('/subnets/gce')).body).toEqual([]);
    const types = await until(
      'instance types',
      () => get('/instanceTypes'),
      (a) => Array.isArray(a.body) && a.body.some((t: { name: string; account: string }) => t.name === 't3.micro' && t.account === 'prod'),
    );
    expect(types.body.find((t: { name: string; account: string }) => t.name === 't3.micro' && t.account === 'prod')).toMatchObject({
      region: 'us-east-1',
      defaultVCpus: 2,
      memoryInGiB: 1,
      supportedArchitectures: expect.arrayContaining(['x86_64']),
    });
  });

  it('plays the security group upsert as AmazonSecurityGroupUpserter does: GET /vpcs, upsert, poll, read back', async () => {
    // Orca resolves the stage's vpcId (an id or a name) through GET /vpcs by account and region.
    const vpcs = (await get('/vpcs')).body as { id: string; name: string; account: string; region: string }[];
    const source = vpcs.find((v) => v.id === vpcId)!;
    const target = vpcs.find((v) => v.name === source.name && v.region === 'us-east-1' && v.account === 'prod')!;
    const ingress = [{ cidr: '10.0.0.0/8', startPort: 8080, endPort: 8080, type: 'tcp' }];
    await runOps([
      {
        upsertSecurityGroup: {
          name: 'shop-web',
          credentials: 'prod',
          region: 'us-east-1',
          vpcId: target.id,
          description: 'shop web',
          securityGroupIngress: [],
          ipIngress: ingress,
          ingressAppendOnly: false,
        },
      },
    ]);
    const sg = await get(`/securityGroups/prod/aws/us-east-1/shop-web?vpcId=${target.id}`);
    expect(sg.status).toBe(200);
    expect(sg.body).toMatchObject({
      name: 'shop-web',
      vpcId: target.id,
      inboundRules: [{ protocol: 'tcp', portRanges: [{ startPort: 8080, endPort: 8080 }] }],
    });
  });

  it('deploys into a non-bake account as AmazonServerGroupCreator does: allowLaunchDescription, then createServerGroup', async () => {
    const cluster = {
      application: 'shop',
      stack: 'qa',
      credentials: 'test',
      availabilityZones: { 'us-east-1': ['us-east-1a'] },
      capacity: { min: 1, max: 1, desired: 1 },
      amiName: BAKED_NAME,
      instanceType: 't3.micro',
      securityGroups: [],
      cloudProvider: 'aws',
    };
    const task = await runOps([
      { allowLaunchDescription: { account: 'test', credentials: 'prod', region: 'us-east-1', amiName: BAKED_NAME } },
      { createServerGroup: cluster },
    ]);
    expect(task.history.map((h: { phase: string }) => h.phase)).toContain('ALLOW_LAUNCH');
    expect(task.resultObjects[0]).toMatchObject({ amiName: BAKED_NAME, amiId: bakedImageId, region: 'us-east-1', ownerId: '123456789012' });
    expect(JSON.stringify(task.resultObjects)).toContain('us-east-1:shop-qa-v000');
    // The bake account granted the deploy account a launch permission.
    const ec2 = new EC2Client({ region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS });
    const attribute = await ec2.send(new DescribeImageAttributeCommand({ ImageId: bakedImageId, Attribute: 'launchPermission' }));
    expect(attribute.LaunchPermissions).toEqual([{ UserId: '111111111111' }]);
    const summary = (await get('/applications/shop/serverGroups')).body.find((s: { name: string }) => s.name === 'shop-qa-v000');
    expect(summary).toMatchObject({ account: 'test', region: 'us-east-1' });
    expect(Object.keys(summary.instanceCounts).sort()).toEqual(['down', 'failed', 'outOfService', 'starting', 'succeeded', 'total', 'unknown', 'up']);

    const bad = await call('POST', '/aws/ops', [{ allowLaunchDescription: { account: 'nope', credentials: 'prod', region: 'us-east-1' } }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('amiName');
    expect(JSON.stringify(bad.body)).toContain('account');
  });

  it('runs the scaling policy stage (upsertScalingPolicy with an alarm, then deleteScalingPolicy)', async () => {
    const context = {
      credentials: 'prod',
      region: 'us-east-1',
      serverGroupName: 'shop-api-v003',
      cloudProvider: 'aws',
      adjustmentType: 'ChangeInCapacity',
      simple: { scalingAdjustment: 1, cooldown: 300 },
      alarm: {
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        comparisonOperator: 'GreaterThanThreshold',
        statistic: 'Average',
        threshold: 70,
        evaluationPeriods: 2,
        period: 60,
      },
    };
    const task = await runOps([{ upsertScalingPolicy: context }]);
    const result = task.resultObjects[0];
    expect(result).toMatchObject({
      policyName: expect.stringMatching(/^shop-api-v003-policy-/),
      policyArn: expect.stringContaining('scalingPolicy'),
      alarmName: expect.stringMatching(/^shop-api-v003-alarm-CPUUtilization-/),
    });
    const autoScaling = new AutoScalingClient({ region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS });
    const policies = await autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'shop-api-v003' }));
    expect(policies.ScalingPolicies?.map((p) => [p.PolicyName, p.PolicyType, p.ScalingAdjustment])).toEqual([[result.policyName, 'SimpleScaling', 1]]);
    const alarms = await new CloudWatchClient({ region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS }).send(
      new DescribeAlarmsCommand({ AlarmNames: [result.alarmName] }),
    );
    expect(alarms.MetricAlarms?.[0]?.AlarmActions).toEqual([result.policyArn]);
    const view = await get('/serverGroups/prod/us-east-1/shop-api-v003');
    expect(view.body.scalingPolicies.map((p: { policyName: string }) => p.policyName)).toEqual([result.policyName]);

    const invalid = await call('POST', '/aws/ops', [{ upsertScalingPolicy: { ...context, simple: undefined } }]);
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('simple');

    await runOps([
      { deleteScalingPolicyDescription: { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-api-v003', policyName: result.policyName } },
    ]);
    expect((await autoScaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: 'shop-api-v003' }))).ScalingPolicies).toEqual([]);
    expect((await get('/serverGroups/prod/us-east-1/shop-api-v003')).body.scalingPolicies).toEqual([]);
  });

  it('deploys a CloudFormation stack and serves it where WaitForCloudFormationCompletionTask polls', async () => {
    const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orca-q' } } } };
    const task = await runOps([
      {
        deployCloudFormation: {
          credentials: 'prod',
          regions: ['us-east-1'],
          stackName: 'orca-stack',
          templateBody: template,
          parameters: {},
          tags: {},
          capabilities: [],
          isChangeSet: false,
        },
      },
    ]);
    const stackId = task.resultObjects[0].stackId as string;
    // Orca puts the ARN into the path without encoding it.
    const stack = await get(`/aws/cloudFormation/stacks/${stackId}`);
    expect(stack.status).toBe(200);
    expect(stack.body).toMatchObject({ stackId, stackName: 'orca-stack', stackStatus: 'CREATE_COMPLETE', accountName: 'prod', region: 'us-east-1' });
    expect((await get('/aws/cloudFormation/stacks?accountName=prod')).body.map((s: { stackName: string }) => s.stackName)).toContain('orca-stack');
    expect((await get('/aws/cloudFormation/stacks/arn:aws:cloudformation:us-east-1:123456789012:stack/none/0')).status).toBe(404);
  });

  it("serves Gate's image details, scaling activities and the account's defaultSecurityGroups", async () => {
    const image = await until(
      'baked image cached',
      () => get(`/aws/images/prod/us-east-1/${bakedImageId}`),
      (a) => a.status === 200,
    );
    expect(image.body).toEqual([
      expect.objectContaining({
        imageName: BAKED_NAME,
        amis: { 'us-east-1': [bakedImageId] },
        tagsByImageId: { [bakedImageId]: { appversion: 'shop-1.0.0-h12.abc/job/12' } },
      }),
    ]);
    expect((await get('/aws/images/prod/us-east-1/ami-00000000')).status).toBe(404);
    // Orca's "Find Image from Tags": the package name plus tag:<name>=<value> filters.
    const byTag = await get(`/aws/images/find?q=shop-1.0.0&tag:appversion=${encodeURIComponent('shop-1.0.0-h12.abc/job/12')}`);
    expect(byTag.body.map((i: { imageName: string }) => i.imageName)).toEqual([BAKED_NAME]);
    expect((await get('/aws/images/find?q=shop-1.0.0&tag:appversion=other')).body).toEqual([]);
    expect((await get('/aws/images/find?q=shop-1.0.*-ebs')).body.map((i: { imageName: string }) => i.imageName)).toEqual([BAKED_NAME]);
    const activities = await get('/applications/shop/clusters/prod/shop-api/aws/serverGroups/shop-api-v003/scalingActivities?region=us-east-1');
    expect(activities.status).toBe(200);
    expect(Array.isArray(activities.body)).toBe(true);
    expect((await get('/applications/shop/clusters/prod/shop-api/aws/serverGroups/shop-api-v003/scalingActivities')).status).toBe(400);
    const instanceId = (await get('/serverGroups/test/us-east-1/shop-qa-v000')).body.instances[0].name as string;
    const consoleOutput = await get(`/instances/test/us-east-1/${instanceId}/console?provider=aws`);
    expect(consoleOutput.status).toBe(200);
    expect(typeof consoleOutput.body.output).toBe('string');
    expect((await get('/instances/test/us-east-1/i-0000000000/console')).status).toBe(404);
    // Without it Orca adds nf-infrastructure and nf-datacenter to every deploy.
    expect((await get('/credentials/prod')).body.defaultSecurityGroups).toEqual([]);
  });

  it('lists every accepted AWS operation name, old aliases included, in /features/stages', async () => {
    const names = (await get('/features/stages')).body.map((s: { name: string }) => s.name);
    for (const name of [
      'allowLaunchDescription',
      'upsertScalingPolicy',
      'deleteScalingPolicyDescription',
      'resizeAsgDescription',
      'terminateInstanceAndDecrementAsgDescription',
      'deployCloudFormation',
      'upsertAmazonDNSDescription',
      'registerInstancesFromLoadBalancerDescription',
    ]) {
      expect(names).toContain(name);
    }
  });
});
