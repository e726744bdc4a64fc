import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { motoHarness } from '../test-support/moto-harness.js';
import { MOTO_CREDENTIALS } from '../test-support/moto.js';

const aws = motoHarness({ account: { name: 'prod', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }] }, image: true });

const clients = () => {
  const config = { region: 'us-east-1', endpoint: aws.moto.endpoint, credentials: MOTO_CREDENTIALS };
  return { ec2: new EC2Client(config), asg: new AutoScalingClient(config) };
};
const describeAsg = async (name: string) =>
  (await clients().asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];

const deploy = (overrides: Record<string, unknown> = {}) =>
  aws.h.runOperation('createServerGroup', {
    type: 'createServerGroup',
    cloudProvider: 'aws',
    credentials: 'prod',
    application: 'shop',
    stack: 'web',
    availabilityZones: { 'us-east-1': ['us-east-1a', 'us-east-1b'] },
    capacity: { min: 1, max: 3, desired: 2 },
    imageId: aws.imageId,
    instanceType: 't3.micro',
    tags: { team: 'checkout' },
    ...overrides,
  });

describe('server group operations against moto', () => {
  it('registers every operation Orca sends for AWS, and the older names Orca posts', () => {
    expect([...aws.h.operations.keys()]).toEqual(
      expect.arrayContaining([
        'cloneServerGroup',
        'createServerGroup',
        'deleteLoadBalancer',
        'deleteSecurityGroup',
        'destroyServerGroup',
        'disableServerGroup',
        'enableServerGroup',
        'rebootInstances',
        'resizeServerGroup',
        'terminateInstances',
        'updateLaunchTemplate',
        'upsertLoadBalancer',
        'upsertSecurityGroup',
        'upsertServerGroupTags',
        'resizeAsgDescription',
        'destroyAsgDescription',
        'copyLastAsgDescription',
      ]),
    );
    expect(aws.h.operations.get('resizeAsgDescription')!.converter).toBe(aws.h.operations.get('resizeServerGroup')!.converter);
  });

  it('rejects malformed descriptions naming each bad field', async () => {
    const run = await aws.h.runOperation('createServerGroup', {
      credentials: 'nope',
      application: 'bad_app!',
      availabilityZones: { 'us-east-1': 'zone' },
      capacity: { min: 3, max: 1, desired: 2 },
      tags: { a: 1 },
    });
    const fields = run.errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['credentials', 'application', 'availabilityZones.us-east-1', 'capacity', 'imageId', 'instanceType', 'tags']),
    );
    expect(run.result).toBeUndefined();

    const resize = await aws.h.runOperation('resizeServerGroup', { credentials: 'prod', region: 'mars-1', capacity: { min: -1, max: 'x' } });
    expect(resize.errors.map((e) => e.field)).toEqual(
      expect.arrayContaining(['serverGroupName', 'region', 'capacity.min', 'capacity.max', 'capacity.desired']),
    );
    const missingAccount = await aws.h.runOperation('destroyServerGroup', { serverGroupName: 'shop-v000', region: 'us-east-1' });
    expect(missingAccount.errors).toEqual([expect.objectContaining({ field: 'credentials', code: 'empty' })]);
    const terminate = await aws.h.runOperation('terminateInstances', { credentials: 'prod', region: 'us-east-1', instanceIds: ['not-an-id'] });
    expect(terminate.errors.map((e) => e.field)).toEqual(['instanceIds[0]']);
  });

  it('deploys v000 then v001 of a cluster with results, history and a cache the read API can serve at once', async () => {
    const first = await deploy();
    expect(first.errors).toEqual([]);
    expect(first.result).toEqual({
      serverGroupNames: ['us-east-1:shop-web-v000'],
      serverGroupNameByRegion: { 'us-east-1': 'shop-web-v000' },
      deployedNames: ['shop-web-v000'],
      deployedNamesByLocation: { 'us-east-1': ['shop-web-v000'] },
      messages: [],
    });
    expect(first.history.map((l) => l.phase)).toEqual(expect.arrayContaining(['DEPLOY']));
    expect(first.history.some((l) => l.status.includes('Creating auto scaling group shop-web-v000'))).toBe(true);

    const asg = (await describeAsg('shop-web-v000'))!;
    expect(asg).toMatchObject({ MinSize: 1, MaxSize: 3, DesiredCapacity: 2 });
    expect(asg.Tags!.find((t) => t.Key === 'team')?.Value).toBe('checkout');

    // No scheduled run happened: the operation refreshed the cache itself.
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v000'))!;
    expect(view).toMatchObject({
      name: 'shop-web-v000',
      disabled: false,
      capacity: { min: 1, max: 3, desired: 2 },
      instanceType: 't3.micro',
      image: { imageId: aws.imageId },
    });
    expect(view.instances).toHaveLength(2);
    expect(await aws.h.readModels.clusters!.getClusterNames('shop')).toEqual({ prod: ['shop-web'] });

    const second = await deploy({ capacity: { min: 0, max: 2, desired: 1 } });
    expect((second.result as { serverGroupNames: string[] }).serverGroupNames).toEqual(['us-east-1:shop-web-v001']);
    const cluster = (await aws.h.readModels.clusters!.getCluster('shop', 'prod', 'shop-web', true))!;
    expect(cluster.serverGroups.map((s) => s.name).sort()).toEqual(['shop-web-v000', 'shop-web-v001']);
    const [older, newer] = [...cluster.serverGroups].sort((a, b) => (a.createdTime ?? 0) - (b.createdTime ?? 0));
    expect([older!.name, newer!.name]).toEqual(['shop-web-v000', 'shop-web-v001']);

    // A cluster whose newest is v001 gets v002 next.
    const third = await deploy();
    expect((third.result as { deployedNames: string[] }).deployedNames).toEqual(['shop-web-v002']);
  });

  it('resizes, disables, enables, tags, updates the launch template and destroys, refreshing the cache each time', async () => {
    await deploy();
    const target = { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-web-v000' };
    const read = () => aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v000');

    const resize = await aws.h.runOperation('resizeServerGroup', { ...target, capacity: { min: 0, max: 5, desired: 3 } });
    expect(resize.errors).toEqual([]);
    expect(resize.history.some((l) => l.phase === 'RESIZE' && l.status.includes('desired 3'))).toBe(true);
    expect((await read())!.capacity).toEqual({ min: 0, max: 5, desired: 3 });

    await aws.h.runOperation('disableServerGroup', { credentials: 'prod', regions: ['us-east-1'], asgName: 'shop-web-v000' });
    expect((await describeAsg('shop-web-v000'))!.SuspendedProcesses!.map((p) => p.ProcessName)).toEqual(['AddToLoadBalancer']);
    expect((await read())!.disabled).toBe(true);

    const enable = await aws.h.runOperation('enableServerGroup', target);
    expect(enable.history.some((l) => l.phase === 'ENABLE_ASG')).toBe(true);
    expect((await read())!.disabled).toBe(false);

    await aws.h.runOperation('upsertServerGroupTags', { ...target, tags: { cost: 'low' } });
    expect((await read())!.tags).toMatchObject({ team: 'checkout', cost: 'low' });

    const update = await aws.h.runOperation('updateLaunchTemplate', { ...target, instanceType: 't3.large' });
    expect(update.errors).toEqual([]);
    const asg = (await describeAsg('shop-web-v000'))!;
    expect(asg.LaunchTemplate!.Version).toBe('2');
    const versions = await clients().ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: asg.LaunchTemplate!.LaunchTemplateId, Versions: ['2'] }),
    );
    expect(versions.LaunchTemplateVersions![0]!.LaunchTemplateData!.InstanceType).toBe('t3.large');
    expect(versions.LaunchTemplateVersions![0]!.LaunchTemplateData!.ImageId).toBe(aws.imageId);

    const destroy = await aws.h.runOperation('destroyServerGroup', target);
    expect(destroy.history.some((l) => l.phase === 'DESTROY_ASG' && l.status.includes('Deleting auto scaling group'))).toBe(true);
    expect(await read()).toBeUndefined();
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toEqual([]);
  });

  it('clones a server group into the next sequence, taking what the description leaves out from the source', async () => {
    await deploy();
    const clone = await aws.h.runOperation('cloneServerGroup', {
      credentials: 'prod',
      source: { account: 'prod', region: 'us-east-1', asgName: 'shop-web-v000' },
      capacity: { min: 1, max: 1, desired: 1 },
    });
    expect(clone.errors).toEqual([]);
    expect((clone.result as { deployedNamesByLocation: unknown }).deployedNamesByLocation).toEqual({ 'us-east-1': ['shop-web-v001'] });
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v001'))!;
    expect(view).toMatchObject({ capacity: { min: 1, max: 1, desired: 1 }, instanceType: 't3.micro', tags: { team: 'checkout' } });

    const bad = await aws.h.runOperation('cloneServerGroup', { credentials: 'prod', source: { account: 'prod', region: 'us-east-1' } });
    expect(bad.errors.map((e) => e.field)).toEqual(['source.asgName']);
  });

  it('deploys into the subnets of a subnetType, with an image found by amiName', async () => {
    const { ec2 } = clients();
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets!.filter((sn) => ['us-east-1a', 'us-east-1b'].includes(sn.AvailabilityZone!));
    await ec2.send(
      new CreateTagsCommand({
        Resources: subnets.map((sn) => sn.SubnetId!),
        Tags: [{ Key: 'immutable_metadata', Value: JSON.stringify({ purpose: 'internal', target: 'ec2' }) }],
      }),
    );
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: aws.imageId, MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const baked = (await ec2.send(new CreateImageCommand({ InstanceId: instance.InstanceId, Name: 'shop-1.2.3-h45' }))).ImageId!;
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('/AmazonSubnetCachingAgent'));

    const run = await deploy({ imageId: undefined, amiName: 'shop-1.2.3-h45', subnetType: 'internal' });
    expect(run.errors).toEqual([]);
    const asg = (await describeAsg('shop-web-v000'))!;
    expect(asg.VPCZoneIdentifier!.split(',').sort()).toEqual(subnets.map((sn) => sn.SubnetId).sort());
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('/ImageCachingAgent'));
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v000'))!;
    expect(view).toMatchObject({ image: { imageId: baked, name: 'shop-1.2.3-h45' }, subnetType: 'internal', vpcId: subnets[0]!.VpcId });
    expect((await aws.h.handle.lookups.subnets()).filter((sn) => sn.purpose === 'internal')).toHaveLength(2);

    // A subnet type with no subnets fails the task with a message saying so.
    await expect(deploy({ subnetType: 'nowhere' })).rejects.toThrow("No subnets with purpose 'nowhere' in us-east-1a, us-east-1b");
  });

  it('terminates and reboots instances and refreshes the instance cache', async () => {
    await deploy({ capacity: { min: 0, max: 2, desired: 2 } });
    const view = (await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v000'))!;
    const [a, b] = view.instances.map((i) => i.name);
    const reboot = await aws.h.runOperation('rebootInstances', { credentials: 'prod', region: 'us-east-1', instanceIds: [a] });
    expect(reboot.history.some((l) => l.phase === 'REBOOT_INSTANCES' && l.status.includes(a!))).toBe(true);
    const terminate = await aws.h.runOperation('terminateInstances', {
      credentials: 'prod',
      region: 'us-east-1',
      instanceIds: [b],
      serverGroupName: 'shop-web-v000',
    });
    expect(terminate.errors).toEqual([]);
    expect(await aws.h.readModels.instances!.getInstance('prod', 'us-east-1', b!)).toBeUndefined();
    expect(await aws.h.readModels.instances!.getInstance('prod', 'us-east-1', a!)).toBeDefined();
  });
});
