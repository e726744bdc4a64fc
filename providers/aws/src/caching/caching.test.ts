import { applicationOfItem } from '@stratus/plugin-api';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand, SuspendProcessesCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateImageCommand,
  CreateKeyPairCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RunInstancesCommand,
  AuthorizeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { motoHarness } from '../test-support/moto-harness.js';
import { MOTO_CREDENTIALS, motoImageId } from '../test-support/moto.js';
import { AwsServerGroupCachingAgent } from './server-group-caching-agent.js';

const aws = motoHarness({ account: { name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }] } });

const sdk = (region: string, credentials = MOTO_CREDENTIALS) => {
  const config = { region, endpoint: aws.moto.endpoint, credentials };
  return { ec2: new EC2Client(config), asg: new AutoScalingClient(config), elb: new ElasticLoadBalancingV2Client(config) };
};

async function someImage(ec2: EC2Client): Promise<string> {
  return motoImageId(aws.moto.endpoint, async () => (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!);
}

async function createAsg(region: string, name: string, opts: { desired?: number; targetGroupArns?: string[]; credentials?: typeof MOTO_CREDENTIALS } = {}) {
  const { ec2, asg } = sdk(region, opts.credentials);
  await ec2.send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: await someImage(ec2), InstanceType: 't3.small' } }),
  );
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name, Version: '$Latest' },
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: opts.desired ?? 2,
      AvailabilityZones: [`${region}a`],
      Tags: [{ Key: 'owner', Value: 'team-a', PropagateAtLaunch: true }],
      ...(opts.targetGroupArns ? { TargetGroupARNs: opts.targetGroupArns } : {}),
    }),
  );
}

describe('AWS caching agents against moto', { timeout: 90_000 }, () => {
  it('names agents <account>/<region>/<Name> and registers the cleanup agent', () => {
    const types = aws.h.agents.get('prod')!.map((a) => a.agentType);
    expect(types).toContain('prod/us-east-1/ClusterCachingAgent');
    expect(types).toContain('prod/us-east-1/InstanceCachingAgent');
    expect(types.every((t) => t.startsWith('prod/us-east-1/'))).toBe(true);
    expect(aws.h.agents.get('prod')!.every((a) => a.accountName === 'prod')).toBe(true);
    expect(aws.h.housekeeping.map((a) => a.agentType)).toEqual(['aws/ClusterCleanupAgent']);
  });

  it('caches ASGs, instances, launch templates, LBs, target groups, SGs, VPCs, subnets, images and key pairs with exact keys', async () => {
    const { ec2, elb } = sdk('us-east-1');
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets!;
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app-web', Description: 'web', VpcId: vpcId }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: sg.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    const lb = (
      await elb.send(new CreateLoadBalancerCommand({ Name: 'app-main-frontend', Subnets: [subnets[0]!.SubnetId!, subnets[1]!.SubnetId!], Type: 'application' }))
    ).LoadBalancers![0]!;
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'app-main-tg', Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'instance' })))
      .TargetGroups![0]!;
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }],
      }),
    );
    await createAsg('us-east-1', 'app-main-v001', { targetGroupArns: [tg.TargetGroupArn!] });
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy-key' }));
    const run = await ec2.send(new RunInstancesCommand({ ImageId: await someImage(ec2), MinCount: 1, MaxCount: 1 }));
    const image = await ec2.send(new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId, Name: 'app-1.0.0-h12' }));

    await aws.h.runAgents('prod');

    const sgKey = 'aws:serverGroups:app-main:prod:us-east-1:app-main-v001';
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toEqual([sgKey]);
    expect(await aws.h.cache.getIdentifiers('clusters')).toEqual(['aws:clusters:app:prod:app-main']);
    expect(await aws.h.cache.getIdentifiers('applications')).toEqual(['aws:applications:app']);
    const instances = await aws.h.cache.getIdentifiers('instances');
    expect(instances).toHaveLength(3);
    expect(instances.every((k) => /^aws:instances:prod:us-east-1:i-[0-9a-f]+$/.test(k))).toBe(true);
    expect(await aws.h.cache.getIdentifiers('launchTemplates')).toEqual(['aws:launchTemplates:prod:us-east-1:app-main-v001']);
    expect(await aws.h.cache.getIdentifiers('loadBalancers')).toEqual([`aws:loadBalancers:prod:us-east-1:app-main-frontend:${lb.VpcId}:application`]);
    expect(await aws.h.cache.getIdentifiers('targetGroups')).toEqual([`aws:targetGroups:prod:us-east-1:app-main-tg:instance:${vpcId}`]);
    expect(await aws.h.cache.getIdentifiers('securityGroups')).toContain(`aws:securityGroups:app-web:${sg.GroupId}:us-east-1:prod:${vpcId}`);
    expect(await aws.h.cache.getIdentifiers('vpcs')).toContain(`aws:vpcs:${vpcId}:prod:us-east-1`);
    expect(await aws.h.cache.getIdentifiers('subnets')).toContain(`aws:subnets:${subnets[0]!.SubnetId}:prod:us-east-1`);
    expect(await aws.h.cache.getIdentifiers('keyPairs')).toEqual(['aws:keyPairs:deploy-key:prod:us-east-1']);
    expect(await aws.h.cache.getIdentifiers('images')).toEqual([`aws:images:prod:us-east-1:${image.ImageId}`]);
    expect(await aws.h.cache.getIdentifiers('namedImages')).toEqual(['aws:namedImages:prod:app-1.0.0-h12']);

    const item = (await aws.h.cache.get('serverGroups', sgKey))!;
    expect(item.attributes).toMatchObject({
      disabled: false,
      capacity: { min: 0, max: 4, desired: 2 },
      tags: { owner: 'team-a' },
      targetGroupNames: ['app-main-tg'],
    });
    expect(item.attributes.createdTime).toEqual(expect.any(Number));
    expect(item.relationships.instances).toHaveLength(2);
    // An instance of a group names the group's application: a change to it invalidates that
    // application's cached views only. The instance JSON does not show it (Clouddriver's has none).
    const member = (await aws.h.cache.get('instances', item.relationships.instances![0]!))!;
    expect(member.attributes).toMatchObject({ serverGroup: 'app-main-v001', application: 'app' });
    expect(applicationOfItem(member.attributes)).toBe('app');
    expect(item.relationships.targetGroups).toEqual([`aws:targetGroups:prod:us-east-1:app-main-tg:instance:${vpcId}`]);

    // Read models over what was cached.
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'app-main-v001'))!;
    expect(view).toMatchObject({
      name: 'app-main-v001',
      type: 'aws',
      cloudProvider: 'aws',
      account: 'prod',
      region: 'us-east-1',
      moniker: { app: 'app', cluster: 'app-main', stack: 'main', sequence: 1 },
      disabled: false,
      zones: ['us-east-1a'],
      capacity: { min: 0, max: 4, desired: 2 },
      instanceType: 't3.small',
      targetGroups: ['app-main-tg'],
      instanceCounts: { total: 2, up: 2, down: 0 },
      asg: { autoScalingGroupName: 'app-main-v001', minSize: 0, maxSize: 4 },
    });
    expect(view.instances[0]).toMatchObject({
      cloudProvider: 'aws',
      healthState: 'Up',
      zone: 'us-east-1a',
      health: [
        { type: 'Amazon', healthClass: 'platform', state: 'Up' },
        { type: 'TargetGroup', state: 'Up', targetGroups: [{ targetGroupName: 'app-main-tg', state: 'Up', status: 'healthy' }] },
      ],
    });
    expect(view.instances[0]).not.toHaveProperty('application');
    const apps = await aws.h.readModels.applications!.getApplications(true);
    expect(apps).toEqual([{ name: 'app', attributes: { name: 'app', cloudProviders: 'aws' }, clusterNames: { prod: ['app-main'] } }]);
    const cluster = (await aws.h.readModels.clusters!.getCluster('app', 'prod', 'app-main', true))!;
    expect(cluster.serverGroups.map((s) => s.name)).toEqual(['app-main-v001']);
    const lbs = await aws.h.readModels.loadBalancers!.getApplicationLoadBalancers('app');
    expect(lbs).toHaveLength(1);
    expect(lbs[0]).toMatchObject({ name: 'app-main-frontend', type: 'aws', loadBalancerType: 'application', account: 'prod', region: 'us-east-1' });
    expect(lbs[0]!.serverGroups.map((s) => s.name)).toEqual(['app-main-v001']);
    expect((lbs[0]!.listeners as unknown[]).length).toBe(1);
    const sgView = (await aws.h.readModels.securityGroups!.get('prod', 'us-east-1', 'app-web'))!;
    expect(sgView).toMatchObject({ id: sg.GroupId, name: 'app-web', application: 'app', vpcId, accountName: 'prod' });
    expect(sgView.inboundRules).toEqual([{ protocol: 'tcp', range: { ip: '10.0.0.0', cidr: '/8' }, portRanges: [{ startPort: 80, endPort: 80 }] }]);
    const instanceId = view.instances[0]!.name;
    expect(await aws.h.readModels.instances!.getInstance('prod', 'us-east-1', instanceId)).toMatchObject({
      name: instanceId,
      serverGroup: 'app-main-v001',
      application: 'app',
    });

    // Provider-specific lookups.
    expect(await aws.h.handle.lookups.findImages({ q: 'app-1.0' })).toEqual([
      expect.objectContaining({ imageName: 'app-1.0.0-h12', accounts: ['prod'], amis: { 'us-east-1': [image.ImageId] } }),
    ]);
    expect(await aws.h.handle.lookups.keyPairs()).toEqual([expect.objectContaining({ keyName: 'deploy-key', account: 'prod', region: 'us-east-1' })]);
    expect((await aws.h.handle.lookups.networks()).map((n) => n.id)).toContain(vpcId);
    expect((await aws.h.handle.lookups.subnets()).find((s) => s.id === subnets[0]!.SubnetId)).toMatchObject({
      vpcId,
      availabilityZone: subnets[0]!.AvailabilityZone,
      account: 'prod',
    });
  });

  it('marks a server group disabled when AddToLoadBalancer is suspended and evicts deleted ASGs, clusters and applications', async () => {
    await createAsg('us-east-1', 'app-v001', { desired: 1 });
    await createAsg('us-east-1', 'other-v000', { desired: 0 });
    await sdk('us-east-1').asg.send(new SuspendProcessesCommand({ AutoScalingGroupName: 'app-v001', ScalingProcesses: ['AddToLoadBalancer'] }));
    await aws.h.runAgents('prod');
    expect((await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'app-v001'))!.disabled).toBe(true);

    await sdk('us-east-1').asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'app-v001', ForceDelete: true }));
    await aws.h.runAgents('prod');
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toEqual(['aws:serverGroups:other:prod:us-east-1:other-v000']);
    // Clusters and applications are informative for the region agent: still there until cleanup.
    expect(await aws.h.cache.getIdentifiers('clusters')).toContain('aws:clusters:app:prod:app');
    await aws.h.runAgent(aws.h.housekeeping[0] as AwsServerGroupCachingAgent);
    expect(await aws.h.cache.getIdentifiers('clusters')).toEqual(['aws:clusters:other:prod:other']);
    expect(await aws.h.cache.getIdentifiers('applications')).toEqual(['aws:applications:other']);

    // Deleting the last ASG of the region empties the authoritative result, which still evicts.
    await sdk('us-east-1').asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'other-v000', ForceDelete: true }));
    await aws.h.runAgents('prod');
    await aws.h.runAgent(aws.h.housekeeping[0] as AwsServerGroupCachingAgent);
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toEqual([]);
    expect(await aws.h.cache.getIdentifiers('clusters')).toEqual([]);
    expect(await aws.h.cache.getIdentifiers('applications')).toEqual([]);
  });

  it('pages through ASGs and describes target groups in bulk, never once per server group', async () => {
    const { ec2, elb } = sdk('us-east-1');
    const vpcId = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'bulk-tg', Protocol: 'HTTP', Port: 80, VpcId: vpcId }))).TargetGroups![0]!;
    for (let i = 0; i < 12; i++)
      await createAsg('us-east-1', `bulk-v${String(i).padStart(3, '0')}`, { desired: 0, ...(i % 4 === 0 ? { targetGroupArns: [tg.TargetGroupArn!] } : {}) });

    const account = aws.h.handle.accounts.get('prod')!;
    const clients = aws.h.handle.clients.forRegion(account, 'us-east-1');
    const calls: string[] = [];
    const count = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      calls.push(context.commandName ?? '?');
      return next(args);
    };
    clients.autoScaling.middlewareStack.add(count as never, { step: 'initialize', name: 'countCalls' });
    clients.elbv2.middlewareStack.add(count as never, { step: 'initialize', name: 'countCalls' });
    try {
      await aws.h.runAgent(new AwsServerGroupCachingAgent({ account, region: 'us-east-1', clients: aws.h.handle.clients, pageSize: 5 }));
    } finally {
      clients.autoScaling.middlewareStack.remove('countCalls');
      clients.elbv2.middlewareStack.remove('countCalls');
    }
    // Scaling policies and scheduled actions: one bulk describe each per run, not one per group.
    expect(calls).toEqual([
      'DescribeAutoScalingGroupsCommand',
      'DescribeAutoScalingGroupsCommand',
      'DescribeAutoScalingGroupsCommand',
      'DescribePoliciesCommand',
      'DescribeScheduledActionsCommand',
      'DescribeTargetGroupsCommand',
    ]);
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toHaveLength(12);
    const withTg = (await aws.h.cache.getAll('serverGroups')).filter((sg) => (sg.attributes.targetGroupNames as string[]).includes('bulk-tg'));
    expect(withTg.map((sg) => sg.attributes.name).sort()).toEqual(['bulk-v000', 'bulk-v004', 'bulk-v008']);
  });

  it('keeps two accounts in two regions apart (second account through STS AssumeRole)', async () => {
    aws.h.addAccount({ name: 'test', accountId: '111111111111', assumeRole: 'role/spinnakerManaged', regions: [{ name: 'us-west-2' }] });
    await createAsg('us-east-1', 'app-prod-v001', { desired: 1 });
    // The test account's resources live in moto's account 111111111111, reached by assuming the role.
    const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({ region: 'us-west-2', endpoint: aws.moto.endpoint, credentials: MOTO_CREDENTIALS });
    const assumed = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/spinnakerManaged', RoleSessionName: 't' }))).Credentials!;
    await createAsg('us-west-2', 'app-test-v001', {
      desired: 1,
      credentials: {
        accessKeyId: assumed.AccessKeyId!,
        secretAccessKey: assumed.SecretAccessKey!,
        sessionToken: assumed.SessionToken!,
      } as typeof MOTO_CREDENTIALS,
    });
    await aws.h.runAgents();
    expect((await aws.h.cache.getIdentifiers('serverGroups')).sort()).toEqual([
      'aws:serverGroups:app-prod:prod:us-east-1:app-prod-v001',
      'aws:serverGroups:app-test:test:us-west-2:app-test-v001',
    ]);
    expect(await aws.h.readModels.clusters!.getClusterNames('app')).toEqual({ prod: ['app-prod'], test: ['app-test'] });
    const vpcs = await aws.h.handle.lookups.networks();
    const byAccount = new Map(vpcs.map((v) => [v.account, v.region]));
    expect(byAccount).toEqual(
      new Map([
        ['prod', 'us-east-1'],
        ['test', 'us-west-2'],
      ]),
    );
    // Each account's agents only see their own cloud account: prod never lists test's ASG.
    expect(await aws.h.readModels.clusters!.getServerGroup('prod', 'us-west-2', 'app-test-v001')).toBeUndefined();
  });
});
