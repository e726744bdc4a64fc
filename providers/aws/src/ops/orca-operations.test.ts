import { createServer, type Server } from 'node:http';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, DescribeChangeSetCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  CreateImageCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { CreateHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../test-support/harness.js';
import { motoHarness } from '../test-support/moto-harness.js';

/**
 * The operations Orca sends beyond deploy/resize/enable/disable, each driven through its converter
 * and validator and run against moto_server through the real SDK (Eureka: a loopback fake speaking
 * Eureka's REST shapes), then checked in AWS and, where cached, in the read models.
 */

const aws = motoHarness({
  account: { name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }] },
  startTimeoutMs: 90_000,
  image: true,
});
const { config } = aws;
const ec2 = () => new EC2Client(config());
const asg = () => new AutoScalingClient(config());
const describeAsg = async (name: string) => (await asg().send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
const base = { credentials: 'prod', region: 'us-east-1' };

/** An ASG on a launch template, as Stratus or Spinnaker deploys it. */
async function templateAsg(name: string, desired = 2, min = 1): Promise<void> {
  await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: aws.imageId, InstanceType: 't3.micro' } }));
  await asg().send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name },
      MinSize: min,
      MaxSize: 4,
      DesiredCapacity: desired,
      AvailabilityZones: ['us-east-1a'],
    }),
  );
}

const ok = (run: Awaited<ReturnType<Harness['runOperation']>>) => {
  expect(run.errors).toEqual([]);
  return run;
};

describe('ASG operations', { timeout: 90_000 }, () => {
  it('suspends and resumes processes (resumeAsgProcessesDescription / suspendAsgProcessesDescription)', async () => {
    await templateAsg('shop-web-v001');
    const bad = await aws.h.runOperation('suspendAsgProcessesDescription', { ...base, asgName: 'shop-web-v001', processes: ['Launch', 'Fly'] });
    expect(bad.errors.map((e) => e.field)).toEqual(['processes[1]']);
    const run = ok(
      await aws.h.runOperation('suspendAsgProcessesDescription', {
        credentials: 'prod',
        regions: ['us-east-1'],
        asgName: 'shop-web-v001',
        processes: ['Launch', 'AZRebalance'],
      }),
    );
    expect(run.history.map((l) => l.status)).toContain('Suspending processes Launch, AZRebalance on shop-web-v001');
    expect((await describeAsg('shop-web-v001'))!.SuspendedProcesses!.map((p) => p.ProcessName).sort()).toEqual(['AZRebalance', 'Launch']);
    expect((await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v001'))!.suspendedProcesses).toEqual(
      expect.arrayContaining(['Launch', 'AZRebalance']),
    );
    ok(
      await aws.h.runOperation('resumeAsgProcessesDescription', {
        ...base,
        asgs: [{ serverGroupName: 'shop-web-v001', region: 'us-east-1' }],
        processes: ['Launch'],
      }),
    );
    expect((await describeAsg('shop-web-v001'))!.SuspendedProcesses!.map((p) => p.ProcessName)).toEqual(['AZRebalance']);
  });

  it('modifies cooldown, health checks and termination policies (modifyAsgDescription)', async () => {
    await templateAsg('shop-web-v002');
    const bad = await aws.h.runOperation('modifyAsgDescription', {
      ...base,
      asgs: [{ serverGroupName: 'shop-web-v002', region: 'us-east-1' }],
      cooldown: -1,
      healthCheckType: 'PING',
      terminationPolicies: ['Random'],
    });
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['cooldown', 'healthCheckType', 'terminationPolicies[0]']);
    const run = ok(
      await aws.h.runOperation('modifyAsgDescription', {
        ...base,
        asgs: [{ serverGroupName: 'shop-web-v002', region: 'us-east-1' }],
        cooldown: 42,
        healthCheckType: 'ELB',
        healthCheckGracePeriod: 120,
        terminationPolicies: ['OldestInstance'],
      }),
    );
    expect(run.history.map((l) => l.status)).toContain(
      'Updating DefaultCooldown, HealthCheckGracePeriod, HealthCheckType, TerminationPolicies of shop-web-v002',
    );
    // moto applies the health check fields of UpdateAutoScalingGroup but ignores cooldown and termination policies.
    const after = (await describeAsg('shop-web-v002'))!;
    expect([after.HealthCheckType, after.HealthCheckGracePeriod]).toEqual(['ELB', 120]);
  });

  it('replaces scheduled actions (upsertAsgScheduledActionsDescription) and deletes them', async () => {
    await templateAsg('shop-web-v003');
    const bad = await aws.h.runOperation('upsertAsgScheduledActionsDescription', {
      ...base,
      asgs: [{ serverGroupName: 'shop-web-v003', region: 'us-east-1' }],
      scheduledActions: [{ recurrence: 'daily' }],
    });
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['scheduledActions[0]', 'scheduledActions[0].recurrence']);
    const asgs = [{ serverGroupName: 'shop-web-v003', region: 'us-east-1' }];
    ok(
      await aws.h.runOperation('upsertAsgScheduledActionsDescription', {
        ...base,
        asgs,
        scheduledActions: [
          { recurrence: '0 8 * * *', desiredCapacity: 3 },
          { recurrence: '0 20 * * *', desiredCapacity: 1 },
        ],
      }),
    );
    ok(await aws.h.runOperation('upsertAsgScheduledActionsDescription', { ...base, asgs, scheduledActions: [{ recurrence: '0 9 * * *', minSize: 2 }] }));
    const actions = (await asg().send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'shop-web-v003' }))).ScheduledUpdateGroupActions!;
    expect(actions.map((a) => [a.ScheduledActionName, a.Recurrence, a.MinSize])).toEqual([['shop-web-v003-schedule-1', '0 9 * * *', 2]]);
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v003')) as unknown as {
      scheduledActions: { recurrence: string }[];
    };
    expect(view.scheduledActions.map((a) => a.recurrence)).toEqual(['0 9 * * *']);
    ok(await aws.h.runOperation('deleteAsgScheduledActionsDescription', { ...base, serverGroupName: 'shop-web-v003' }));
    expect((await asg().send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: 'shop-web-v003' }))).ScheduledUpdateGroupActions).toEqual([]);
  });

  it('updates a launch configuration by copying it (updateLaunchConfig), and a template-backed group through a new template version', async () => {
    await asg().send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: 'legacy-v001-lc', ImageId: aws.imageId, InstanceType: 't2.micro' }));
    await asg().send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'legacy-v001',
        LaunchConfigurationName: 'legacy-v001-lc',
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    const bad = await aws.h.runOperation('modifyAsgLaunchConfigurationDescription', { ...base, asgName: 'legacy-v001', instanceMonitoring: 'yes' });
    expect(bad.errors.map((e) => e.field)).toEqual(['instanceMonitoring']);
    const run = ok(
      await aws.h.runOperation('modifyAsgLaunchConfigurationDescription', {
        ...base,
        asgName: 'legacy-v001',
        instanceType: 'm5.large',
        instanceMonitoring: true,
      }),
    );
    const name = (run.result as { launchConfigurationName: string }).launchConfigurationName;
    expect(name).toMatch(/^legacy-v001-\d{14}$/);
    expect((await describeAsg('legacy-v001'))!.LaunchConfigurationName).toBe(name);
    const lc = (await asg().send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: [name] }))).LaunchConfigurations![0]!;
    expect([lc.InstanceType, lc.ImageId, lc.InstanceMonitoring?.Enabled]).toEqual(['m5.large', aws.imageId, true]);
    const legacy = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'legacy-v001'))!;
    expect(legacy.launchConfig).toMatchObject({ launchConfigurationName: name, instanceType: 'm5.large', imageId: aws.imageId });
    expect(legacy.instanceType).toBe('m5.large');

    ok(await aws.h.runOperation('deleteLaunchConfiguration', { ...base, launchConfigurationName: 'legacy-v001-lc' }));
    expect((await asg().send(new DescribeLaunchConfigurationsCommand({ LaunchConfigurationNames: ['legacy-v001-lc'] }))).LaunchConfigurations).toEqual([]);
    expect(await aws.h.cache.get('launchConfigs', 'aws:launchConfigs:prod:us-east-1:legacy-v001-lc')).toBeUndefined();

    await templateAsg('modern-v001', 0, 0);
    ok(await aws.h.runOperation('updateLaunchConfig', { ...base, serverGroupName: 'modern-v001', instanceType: 'c5.large' }));
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('LaunchTemplateCachingAgent'));
    expect((await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'modern-v001'))!.instanceType).toBe('c5.large');
  });
});

describe('instance operations', { timeout: 90_000 }, () => {
  it('terminates one instance and decrements the group, lowering min only when allowed', async () => {
    await templateAsg('shop-api-v001', 2, 2);
    const [first] = (await describeAsg('shop-api-v001'))!.Instances!;
    await expect(
      aws.h.runOperation('terminateInstanceAndDecrementAsgDescription', { ...base, asgName: 'shop-api-v001', instance: first!.InstanceId }),
    ).rejects.toThrow('Cannot decrement shop-api-v001 below its min 2 (set adjustMinIfNecessary)');
    const noId = await aws.h.runOperation('terminateInstanceAndDecrementServerGroup', { ...base, serverGroupName: 'shop-api-v001', instance: 'web-1' });
    expect(noId.errors.map((e) => e.field)).toEqual(['instance']);
    ok(
      await aws.h.runOperation('terminateInstanceAndDecrementServerGroup', {
        ...base,
        serverGroupName: 'shop-api-v001',
        instance: first!.InstanceId,
        adjustMinIfNecessary: true,
        setMaxToNewDesired: true,
      }),
    );
    const after = (await describeAsg('shop-api-v001'))!;
    expect([after.MinSize, after.DesiredCapacity, after.MaxSize]).toEqual([1, 1, 1]);
    expect(after.Instances!.map((i) => i.InstanceId)).not.toContain(first!.InstanceId);
  }, 60_000);

  it('detaches instances with decrement and terminates them (detachInstances)', async () => {
    await templateAsg('shop-api-v002', 2, 1);
    const ids = (await describeAsg('shop-api-v002'))!.Instances!.map((i) => i.InstanceId!);
    ok(
      await aws.h.runOperation('detachInstancesDescription', {
        ...base,
        asgName: 'shop-api-v002',
        instanceIds: [ids[0]],
        decrementDesiredCapacity: true,
        terminateDetachedInstances: true,
      }),
    );
    const after = (await describeAsg('shop-api-v002'))!;
    expect([after.DesiredCapacity, after.Instances!.map((i) => i.InstanceId)]).toEqual([1, [ids[1]]]);
    const state = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!] }))).Reservations![0]!.Instances![0]!.State!.Name;
    expect(['shutting-down', 'terminated']).toContain(state);
    const view = await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-api-v002');
    expect(view!.instances.map((i) => i.name)).toEqual([ids[1]]);
  });

  it("sets the security groups of a group's instances (updateInstances)", async () => {
    await templateAsg('shop-api-v003', 1, 1);
    const sg = (await ec2().send(new CreateSecurityGroupCommand({ GroupName: 'shop-extra', Description: 'extra' }))).GroupId!;
    const bad = await aws.h.runOperation('updateInstances', { ...base, serverGroupName: 'shop-api-v003', securityGroups: [] });
    expect(bad.errors.map((e) => e.field)).toEqual(['securityGroups']);
    ok(
      await aws.h.runOperation('updateInstancesDescription', {
        ...base,
        serverGroupName: 'shop-api-v003',
        securityGroups: ['shop-extra'],
        securityGroupsAppendOnly: true,
      }),
    );
    const id = (await describeAsg('shop-api-v003'))!.Instances![0]!.InstanceId!;
    const groups = (await ec2().send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.SecurityGroups!.map(
      (g) => g.GroupId,
    );
    expect(groups).toContain(sg);
  });

  it('registers and deregisters instances with a classic load balancer', async () => {
    await templateAsg('shop-api-v004', 1, 1);
    const elb = new ElasticLoadBalancingClient(config());
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'shop-classic',
        AvailabilityZones: ['us-east-1a'],
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
      }),
    );
    const id = (await describeAsg('shop-api-v004'))!.Instances![0]!.InstanceId!;
    const bad = await aws.h.runOperation('registerInstancesWithLoadBalancer', { ...base, instanceIds: [id] });
    expect(bad.errors.map((e) => e.field)).toEqual(['loadBalancerNames']);
    ok(await aws.h.runOperation('registerInstancesFromLoadBalancerDescription', { ...base, instanceIds: [id], loadBalancerNames: ['shop-classic'] }));
    const registered = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: ['shop-classic'] }))).LoadBalancerDescriptions![0]!.Instances!.map(
      (i) => i.InstanceId,
    );
    expect(registered).toEqual([id]);
    ok(await aws.h.runOperation('deregisterInstancesFromLoadBalancer', { ...base, instanceIds: [id], loadBalancerNames: ['shop-classic'] }));
    expect((await elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: 'shop-classic' }))).InstanceStates).toEqual([]);
  });

  it('marks instances out of service and back in a loopback Eureka (disable/enableInstancesInDiscovery)', async () => {
    const calls: string[] = [];
    let discoveryApps: unknown = { applications: { application: [] } };
    const eureka: Server = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.method === 'GET' && req.url === '/eureka/v2/apps') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(discoveryApps));
      } else if (req.method === 'GET' && req.url?.startsWith('/eureka/v2/instances/')) {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ instance: { instanceId: req.url.split('/').pop(), app: 'SHOP', status: 'UP' } }));
      } else res.writeHead(200).end();
    });
    await new Promise<void>((r) => eureka.listen(0, '127.0.0.1', r));
    const port = (eureka.address() as { port: number }).port;
    try {
      aws.h.addAccount({
        name: 'disco',
        accountId: '123456789012',
        discovery: `http://127.0.0.1:${port}/eureka/v2`,
        regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a'] }],
      });
      const none = await aws.h.runOperation('disableInstancesInDiscovery', { ...base, asgName: 'shop-web-v001', instanceIds: ['i-0abc'] });
      expect(none.errors.map((e) => e.field)).toEqual(['credentials']);
      const d = { credentials: 'disco', region: 'us-east-1', asgName: 'shop-web-v001', instanceIds: ['i-0abc'] };
      const run = ok(await aws.h.runOperation('disableInstancesInDiscoveryDescription', d));
      expect(run.history.map((l) => l.status)).toContain("Marking i-0abc as 'OUT_OF_SERVICE' in discovery application SHOP");
      ok(await aws.h.runOperation('enableInstancesInDiscovery', d));
      // Each operation then re-reads the account's Eureka apps for the Discovery health.
      expect(calls.filter((c) => c === 'GET /eureka/v2/apps')).toHaveLength(2);
      expect(calls.filter((c) => c !== 'GET /eureka/v2/apps')).toEqual([
        'GET /eureka/v2/instances/i-0abc',
        'PUT /eureka/v2/apps/SHOP/i-0abc/status?value=OUT_OF_SERVICE',
        'GET /eureka/v2/instances/i-0abc',
        'DELETE /eureka/v2/apps/SHOP/i-0abc/status?value=OUT_OF_SERVICE',
      ]);
      // The account's Discovery agent caches each instance's Eureka status as `Discovery` health.
      await templateAsg('shop-web-v001', 1, 1);
      const id = (await describeAsg('shop-web-v001'))!.Instances![0]!.InstanceId!;
      discoveryApps = {
        applications: {
          application: {
            name: 'SHOP',
            instance: { instanceId: id, app: 'SHOP', status: 'OUT_OF_SERVICE', dataCenterInfo: { metadata: { 'instance-id': id } } },
          },
        },
      };
      await aws.h.runAgents('disco');
      const health = (await aws.h.readModels.instances!.getInstance('disco', 'us-east-1', id))!.health as Record<string, unknown>[];
      expect(health).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'Discovery', application: 'SHOP', status: 'OUT_OF_SERVICE', state: 'OutOfService' })]),
      );
      const sgView = (await aws.h.readModels.clusters!.getServerGroup('disco', 'us-east-1', 'shop-web-v001'))!;
      expect(sgView.instances[0]!.healthState).toBe('OutOfService');
    } finally {
      eureka.close();
    }
  });
});

describe('classic load balancers', { timeout: 90_000 }, () => {
  it("caches a classic ELB under Clouddriver's key, deploys behind it, and shows its server group and LoadBalancer health", async () => {
    const vpc = (await ec2().send(new DescribeVpcsCommand({}))).Vpcs!.find((v) => v.IsDefault)!;
    const subnet = (
      await ec2().send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc.VpcId!] },
            { Name: 'availability-zone', Values: ['us-east-1a'] },
          ],
        }),
      )
    ).Subnets![0]!;
    const elb = new ElasticLoadBalancingClient(config());
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: 'shop-legacy',
        Subnets: [subnet.SubnetId!],
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 7001 }],
      }),
    );
    await aws.h.runAgents('prod', (a) => /AmazonSubnetCachingAgent|AmazonLoadBalancerCachingAgent/.test(a.agentType));
    const key = `aws:loadBalancers:prod:us-east-1:shop-legacy:${vpc.VpcId}`;
    expect((await aws.h.cache.get('loadBalancers', key))!.attributes).toMatchObject({
      loadBalancerName: 'shop-legacy',
      loadBalancerType: 'classic',
      vpcId: vpc.VpcId,
    });

    const run = ok(
      await aws.h.runOperation('createServerGroup', {
        credentials: 'prod',
        application: 'shop',
        stack: 'legacy',
        availabilityZones: { 'us-east-1': ['us-east-1a'] },
        subnetIds: [subnet.SubnetId],
        capacity: { min: 1, max: 1, desired: 1 },
        imageId: aws.imageId,
        instanceType: 't3.micro',
        loadBalancers: ['shop-legacy'],
        base64UserData: 'ZWNobyBoaQ==',
      }),
    );
    expect(JSON.stringify(run.result)).toContain('shop-legacy-v000');
    // Deck's `base64UserData` reaches the launch template.
    const versions = await ec2().send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: 'shop-legacy-v000', Versions: ['$Latest'] }));
    expect(versions.LaunchTemplateVersions![0]!.LaunchTemplateData!.UserData).toBe('ZWNobyBoaQ==');
    await aws.h.runAgents('prod');
    const lbs = await aws.h.readModels.loadBalancers!.getApplicationLoadBalancers('shop');
    const legacy = lbs.find((lb) => lb.name === 'shop-legacy')!;
    expect(legacy).toMatchObject({ loadBalancerType: 'classic', vpcId: vpc.VpcId, account: 'prod' });
    expect(legacy.serverGroups.map((sg) => sg.name)).toEqual(['shop-legacy-v000']);
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-legacy-v000'))!;
    expect(view.loadBalancers).toEqual(['shop-legacy']);
    expect(view.instances[0]!.health).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'LoadBalancer', loadBalancers: [expect.objectContaining({ loadBalancerName: 'shop-legacy' })] }),
      ]),
    );
  });
});

describe('images, snapshots and launch templates', { timeout: 90_000 }, () => {
  it('tags an image by name (upsertAmiTagsDescription), then deregisters it (deleteImage)', async () => {
    const run = await ec2().send(new RunInstancesCommand({ ImageId: aws.imageId, MinCount: 1, MaxCount: 1 }));
    const ami = (await ec2().send(new CreateImageCommand({ InstanceId: run.Instances![0]!.InstanceId!, Name: 'shop-1.2.3' }))).ImageId!;
    const bad = await aws.h.runOperation('upsertImageTags', { ...base, regions: ['us-east-1'], tags: {} });
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['amiName', 'tags']);
    ok(
      await aws.h.runOperation('upsertAmiTagsDescription', {
        credentials: 'prod',
        regions: ['us-east-1'],
        amiName: 'shop-1.2.3',
        tags: { appversion: 'shop-1.2.3-h5.abc/job/5' },
      }),
    );
    const image = (await ec2().send(new DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!;
    expect(image.Tags).toEqual([{ Key: 'appversion', Value: 'shop-1.2.3-h5.abc/job/5' }]);
    expect((await aws.h.cache.get('images', `aws:images:prod:us-east-1:${ami}`))!.attributes.tagMap).toEqual({ appversion: 'shop-1.2.3-h5.abc/job/5' });
    ok(await aws.h.runOperation('deleteImage', { ...base, imageId: ami }));
    expect((await ec2().send(new DescribeImagesCommand({ Owners: ['self'] }))).Images!.map((i) => i.ImageId)).not.toContain(ami);
    expect(await aws.h.cache.get('images', `aws:images:prod:us-east-1:${ami}`)).toBeUndefined();
  });

  it('deletes a snapshot and a launch template', async () => {
    const volume = await ec2().send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }));
    const snapshot = (await ec2().send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId! }))).SnapshotId!;
    expect((await aws.h.runOperation('deleteSnapshot', { ...base, snapshotId: 'vol-1' })).errors.map((e) => e.field)).toEqual(['snapshotId']);
    ok(await aws.h.runOperation('deleteSnapshot', { ...base, snapshotId: snapshot }));
    expect((await ec2().send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!.map((s) => s.SnapshotId)).not.toContain(snapshot);

    const lt = (await ec2().send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'orphan-v001', LaunchTemplateData: { ImageId: aws.imageId } })))
      .LaunchTemplate!.LaunchTemplateId!;
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('LaunchTemplateCachingAgent'));
    expect(await aws.h.cache.get('launchTemplates', 'aws:launchTemplates:prod:us-east-1:orphan-v001')).toBeDefined();
    ok(await aws.h.runOperation('deleteLaunchTemplate', { ...base, launchTemplateId: lt }));
    expect((await ec2().send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates!.map((t) => t.LaunchTemplateId)).not.toContain(lt);
    expect(await aws.h.cache.get('launchTemplates', 'aws:launchTemplates:prod:us-east-1:orphan-v001')).toBeUndefined();
  });
});

describe('Route 53 and CloudFormation', { timeout: 90_000 }, () => {
  it('upserts a CNAME in a hosted zone (upsertAmazonDNSDescription)', async () => {
    await new Route53Client(config()).send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'stratus-test' }));
    const bad = await aws.h.runOperation('upsertAmazonDNSDescription', { credentials: 'prod', type: 'MX', name: 'x' });
    expect(bad.errors.map((e) => e.field).sort()).toEqual(['hostedZoneName', 'target', 'type']);
    const run = ok(
      await aws.h.runOperation('upsertAmazonDNSDescription', {
        credentials: 'prod',
        type: 'CNAME',
        name: 'shop.example.com',
        target: 'shop-lb.elb.amazonaws.com',
        hostedZoneName: 'example.com',
      }),
    );
    const zoneId = (run.result as { hostedZoneId: string }).hostedZoneId;
    const records = (await new Route53Client(config()).send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets!;
    expect(records.find((r) => r.Name === 'shop.example.com.')).toMatchObject({ Type: 'CNAME', ResourceRecords: [{ Value: 'shop-lb.elb.amazonaws.com' }] });
  });

  it('deploys a stack, updates it through a change set, executes and deletes (deployCloudFormation …)', async () => {
    const template = { Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'stratus-q' } } } };
    const cfn = new CloudFormationClient(config());
    expect((await aws.h.runOperation('deployCloudFormation', { ...base, stackName: '1bad' })).errors.map((e) => e.field).sort()).toEqual([
      'stackName',
      'templateBody',
    ]);
    const created = ok(
      await aws.h.runOperation('deployCloudFormationDescription', {
        ...base,
        stackName: 'shop-infra',
        templateBody: template,
        parameters: {},
        tags: { team: 'shop' },
      }),
    );
    const stackId = (created.result as { stackId: string }).stackId;
    expect(stackId).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/shop-infra\//);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'shop-infra' }))).Stacks![0]!.StackStatus).toBe('CREATE_COMPLETE');
    expect(await aws.h.handle.lookups.stack(stackId)).toMatchObject({
      stackId,
      stackName: 'shop-infra',
      stackStatus: 'CREATE_COMPLETE',
      accountName: 'prod',
      tags: { team: 'shop' },
      changeSets: [],
    });

    const changed = { Resources: { ...template.Resources, Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'stratus-t' } } } };
    const cs = ok(
      await aws.h.runOperation('deployCloudFormation', {
        ...base,
        stackName: 'shop-infra',
        templateBody: JSON.stringify(changed),
        isChangeSet: true,
        changeSetName: 'add-topic',
      }),
    );
    expect(cs.result).toMatchObject({ stackId, changeSetName: 'add-topic' });
    expect((await cfn.send(new DescribeChangeSetCommand({ StackName: 'shop-infra', ChangeSetName: 'add-topic' }))).ChangeSetName).toBe('add-topic');
    // What Orca's WaitForCloudFormationCompletionTask reads for a change set stage.
    const cached = (await aws.h.handle.lookups.stack(stackId)) as { changeSets: { name: string; status: string }[] };
    expect(cached.changeSets.map((c) => c.name)).toEqual(['add-topic']);
    ok(await aws.h.runOperation('executeCloudFormationChangeSet', { ...base, stackName: 'shop-infra', changeSetName: 'add-topic' }));
    ok(await aws.h.runOperation('deleteCloudFormation', { ...base, stackName: 'shop-infra' }));
    const after = await cfn.send(new DescribeStacksCommand({ StackName: stackId }));
    expect(after.Stacks![0]!.StackStatus).toBe('DELETE_COMPLETE');
    expect(await aws.h.handle.lookups.stack(stackId)).toBeUndefined();
  });
});
