import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateKeyPairCommand, CreateLaunchTemplateCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { awsServerE2e } from '../src/test-support/aws-server-e2e.js';
import { MOTO_CREDENTIALS } from '../src/test-support/moto.js';

/**
 * The "done when", through the HTTP API exactly as Orca would: the real server process
 * (apps/server's `stratus` bin) with the AWS provider enabled, pointed at a moto_server, with
 * credentials from the SDK's default chain (environment variables).
 */

let imageId = '';

const e2e = awsServerE2e({
  tempPrefix: 'stratus-aws-e2e-',
  setupTimeoutMs: 180_000,
  async seed(moto) {
    imageId = (
      await new EC2Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS }).send(
        new DescribeImagesCommand({ Owners: ['amazon'] }),
      )
    ).Images![0]!.ImageId!;
    const accounts = [
      { name: 'prod', accountId: '123456789012', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }] },
      { name: 'test', accountId: '111111111111', assumeRole: 'role/spinnaker', regions: [{ name: 'us-west-2', availabilityZones: ['us-west-2a'] }] },
    ];
    return accounts;
  },
});
const { call, get, until, runOp } = e2e;

const deployment = (capacity: Record<string, number>) => ({
  credentials: 'prod',
  application: 'shop',
  stack: 'web',
  availabilityZones: { 'us-east-1': ['us-east-1a'] },
  capacity,
  imageId,
  instanceType: 't3.micro',
  cloudProvider: 'aws',
});

describe('AWS through the Stratus HTTP API', { timeout: 120_000 }, () => {
  it('deploys v000 and v001, then resizes, disables, enables and destroys as Orca would', async () => {
    const first = await runOp('createServerGroup', deployment({ min: 1, max: 2, desired: 1 }));
    expect(first.history.map((l: { phase: string }) => l.phase)).toContain('DEPLOY');
    expect(JSON.stringify(first.resultObjects)).toContain('us-east-1:shop-web-v000');
    // Visible the moment the task completes: the operation refreshed the cache.
    const summaries = await get('/applications/shop/serverGroups');
    expect(summaries.body.map((s: { name: string }) => s.name)).toEqual(['shop-web-v000']);
    expect(summaries.body[0]).toMatchObject({
      account: 'prod',
      region: 'us-east-1',
      cluster: 'shop-web',
      cloudProvider: 'aws',
      capacity: { min: 1, max: 2, desired: 1 },
    });

    await new Promise((r) => setTimeout(r, 1100)); // moto's CreatedTime has second precision
    await runOp('createServerGroup', deployment({ min: 1, max: 1, desired: 1 }));
    const target = (which: string) => get(`/applications/shop/clusters/prod/shop-web/aws/us-east-1/serverGroups/target/${which}`);
    expect((await target('current')).body.name).toBe('shop-web-v001');
    expect((await target('previous')).body.name).toBe('shop-web-v000');

    const sg = { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-web-v000' };
    await runOp('resizeServerGroup', { ...sg, capacity: { min: 0, max: 3, desired: 2 } });
    expect((await get('/serverGroups/prod/us-east-1/shop-web-v000')).body.capacity).toEqual({ min: 0, max: 3, desired: 2 });
    await runOp('disableServerGroup', sg);
    expect((await get('/serverGroups/prod/us-east-1/shop-web-v000')).body.disabled).toBe(true);
    await runOp('enableServerGroup', sg);
    expect((await get('/serverGroups/prod/us-east-1/shop-web-v000')).body.disabled).toBe(false);
    await runOp('destroyServerGroup', sg);
    expect((await get('/serverGroups/prod/us-east-1/shop-web-v000')).status).toBe(404);
    expect((await get('/applications/shop/serverGroups')).body.map((s: { name: string }) => s.name)).toEqual(['shop-web-v001']);
  });

  it('serves security groups, load balancers, instances and search created through operations', async () => {
    await runOp('upsertSecurityGroup', {
      credentials: 'prod',
      region: 'us-east-1',
      name: 'store-web',
      description: 'store',
      ipIngress: [{ cidr: '10.0.0.0/8', startPort: 80, endPort: 80, type: 'tcp' }],
    });
    const sg = await get('/securityGroups/prod/aws/us-east-1/store-web');
    expect(sg.status).toBe(200);
    expect(sg.body).toMatchObject({
      name: 'store-web',
      type: 'aws',
      accountName: 'prod',
      region: 'us-east-1',
      inboundRules: [{ protocol: 'tcp', range: { cidr: '/8' } }],
    });

    await runOp('upsertLoadBalancer', {
      credentials: 'prod',
      name: 'store-web-frontend',
      availabilityZones: { 'us-east-1': ['us-east-1a', 'us-east-1b'] },
      securityGroups: ['store-web'],
      targetGroups: [{ name: 'store-web-tg', protocol: 'HTTP', port: 7001 }],
      listeners: [{ protocol: 'HTTP', port: 80, defaultActions: [{ targetGroupName: 'store-web-tg' }] }],
    });
    await runOp('createServerGroup', { ...deployment({ min: 1, max: 1, desired: 1 }), application: 'store', targetGroups: ['store-web-tg'] });
    const lbs = await until(
      'load balancer with its server group',
      () => get('/applications/store/loadBalancers'),
      (a) => a.body?.[0]?.serverGroups?.length === 1,
    );
    expect(lbs.body[0]).toMatchObject({
      name: 'store-web-frontend',
      type: 'aws',
      loadBalancerType: 'application',
      serverGroups: [{ name: 'store-web-v000', isDisabled: false }],
    });
    const details = await get('/aws/loadBalancers/prod/us-east-1/store-web-frontend');
    expect(details.body).toEqual([expect.objectContaining({ loadBalancerName: 'store-web-frontend', targetGroups: ['store-web-tg'] })]);

    const serverGroup = (await get('/serverGroups/prod/us-east-1/store-web-v000')).body;
    expect(serverGroup.targetGroups).toEqual(['store-web-tg']);
    const instanceId = serverGroup.instances[0].name;
    const instance = await get(`/instances/prod/us-east-1/${instanceId}`);
    expect(instance.body).toMatchObject({ name: instanceId, cloudProvider: 'aws', serverGroup: 'store-web-v000', healthState: 'Up' });
    const search = await get('/search?q=store-web-v0&type=serverGroups&platform=aws');
    expect(JSON.stringify(search.body)).toContain('store-web-v000');
  });

  it('serves the AWS-only endpoints through provider routes: key pairs, networks, subnets, image lookup', async () => {
    const config = { region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS };
    await new EC2Client(config).send(new CreateKeyPairCommand({ KeyName: 'stratus-e2e-key' }));
    const pairs = await until(
      'the key pair to be cached',
      () => get('/keyPairs'),
      (a) => Array.isArray(a.body) && a.body.some((k: { keyName: string }) => k.keyName === 'stratus-e2e-key'),
    );
    expect(pairs.body.find((k: { keyName: string }) => k.keyName === 'stratus-e2e-key')).toMatchObject({
      cloudProvider: 'aws',
      account: 'prod',
      region: 'us-east-1',
    });
    const networks = await until(
      'VPCs',
      () => get('/networks/aws'),
      (a) => Array.isArray(a.body) && a.body.some((n: { account: string }) => n.account === 'prod'),
    );
    expect(networks.body[0]).toMatchObject({ cloudProvider: 'aws', id: expect.stringMatching(/^vpc-/) });
    const subnets = await until(
      'subnets',
      () => get('/subnets/aws'),
      (a) => Array.isArray(a.body) && a.body.some((n: { account: string }) => n.account === 'prod'),
    );
    expect(subnets.body[0]).toMatchObject({ type: 'aws', id: expect.stringMatching(/^subnet-/), vpcId: expect.stringMatching(/^vpc-/) });
    const images = await get('/aws/images/find?q=no-such-image-name');
    expect(images.status).toBe(200);
    expect(images.body).toEqual([]);
  });

  it('answers a malformed operation with 400 naming the fields', async () => {
    const posted = await call('POST', '/aws/ops', [
      { createServerGroup: { credentials: 'prod', application: 'bad_name', capacity: { min: 2, max: 1, desired: 1 } } },
    ]);
    expect(posted.status).toBe(400);
    const text = JSON.stringify(posted.body);
    for (const field of ['application', 'availabilityZones', 'capacity', 'imageId', 'instanceType']) expect(text).toContain(field);
  });

  it('caches an ASG created directly in moto, and refreshes one on demand', async () => {
    const config = { region: 'us-east-1', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS };
    await new EC2Client(config).send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'direct-v007', LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.micro' } }),
    );
    await new AutoScalingClient(config).send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'direct-v007',
        LaunchTemplate: { LaunchTemplateName: 'direct-v007' },
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 1,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    const refresh = await call('POST', '/cache/aws/serverGroup', {
      account: 'prod',
      region: 'us-east-1',
      serverGroupName: 'direct-v007',
      asgName: 'direct-v007',
    });
    expect([200, 202]).toContain(refresh.status);
    // Visible at once (the launch template data joins in with the next scheduled run).
    expect((await get('/serverGroups/prod/us-east-1/direct-v007')).body).toMatchObject({ name: 'direct-v007', cloudProvider: 'aws', capacity: { desired: 1 } });
    await until(
      'the scheduled launch template run',
      () => get('/serverGroups/prod/us-east-1/direct-v007'),
      (a) => a.body.instanceType === 't3.micro' && a.body.instances.length === 1,
    );
    const pending = await get('/cache/aws/serverGroup');
    expect(pending.body.map((p: { id: string }) => p.id)).toContain('aws:serverGroups:direct:prod:us-east-1:direct-v007');
    // The scheduled agents (every 2 s) pick up the instances and stamp the record processed.
    await until(
      'the on-demand record to be processed',
      () => get('/cache/aws/serverGroup'),
      (a) => a.body.some((p: { id: string; processedCount: number }) => p.id.endsWith(':direct-v007') && p.processedCount > 0),
    );
    const apps = await until(
      'application direct',
      () => get('/applications'),
      (a) => a.body.some((app: { name: string }) => app.name === 'direct'),
    );
    expect(apps.body.find((a: { name: string }) => a.name === 'direct').clusterNames).toEqual({ prod: ['direct'] });
  });

  it('keeps the two accounts apart: the assumed-role account sees only its own cloud account', async () => {
    const credentials = await until(
      'credentials',
      () => get('/credentials'),
      (a) => Array.isArray(a.body) && a.body.length === 2,
    );
    expect(credentials.body.map((c: { name: string; cloudProvider: string }) => [c.name, c.cloudProvider]).sort()).toEqual([
      ['prod', 'aws'],
      ['test', 'aws'],
    ]);
    const intro = await until(
      'test agents',
      () => get('/cache/introspection'),
      (a) => a.body.some((r: { id: string }) => r.id === 'test/us-west-2/ClusterCachingAgent'),
    );
    expect(intro.body.some((r: { id: string }) => r.id === 'prod/us-east-1/ClusterCachingAgent')).toBe(true);
    await runOp('createServerGroup', {
      ...deployment({ min: 0, max: 1, desired: 0 }),
      credentials: 'test',
      stack: 'qa',
      availabilityZones: { 'us-west-2': ['us-west-2a'] },
    });
    const entries = (await get('/applications/shop/serverGroups')).body.filter((s: { account: string }) => s.account === 'test');
    expect(entries.map((s: { name: string; region: string }) => [s.name, s.region])).toEqual([['shop-qa-v000', 'us-west-2']]);
    // The ASG lives in moto's account 111111111111 (reached through AssumeRole), not the default one.
    const defaultAccount = new AutoScalingClient({ region: 'us-west-2', endpoint: e2e.fake.endpoint, credentials: MOTO_CREDENTIALS });
    expect((await defaultAccount.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups).toEqual([]);
    expect((await get('/serverGroups/prod/us-west-2/shop-qa-v000')).status).toBe(404);
  });
});
