import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, expect, it } from 'vitest';
import { motoHarness } from '../test-support/moto-harness.js';

const aws = motoHarness({ account: { name: 'prod', regions: [{ name: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b'] }] } });
const { config } = aws;

describe('security group operations', () => {
  it('creates a group, converges its ingress to the description, and deletes it', async () => {
    const base = { credentials: 'prod', region: 'us-east-1', name: 'shop-elb', description: 'shop load balancer' };
    await aws.h.runOperation('upsertSecurityGroup', { ...base, name: 'shop-lb-source' });
    const created = await aws.h.runOperation('upsertSecurityGroup', {
      ...base,
      ipIngress: [{ cidr: '10.0.0.0/16', startPort: 443, endPort: 443, type: 'tcp' }],
      securityGroupIngress: [{ name: 'shop-lb-source', startPort: 7001, endPort: 7002, type: 'tcp' }],
    });
    expect(created.errors).toEqual([]);
    expect(created.history.map((l) => l.status)).toEqual(
      expect.arrayContaining([expect.stringContaining('Creating security group shop-elb'), expect.stringContaining('Authorizing 2 ingress rule(s)')]),
    );
    const view = (await aws.h.readModels.securityGroups!.get('prod', 'us-east-1', 'shop-elb'))!;
    expect(view.inboundRules).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', range: { ip: '10.0.0.0', cidr: '/16' }, portRanges: [{ startPort: 443, endPort: 443 }] },
        expect.objectContaining({
          protocol: 'tcp',
          securityGroup: expect.objectContaining({ name: 'shop-lb-source' }),
          portRanges: [{ startPort: 7001, endPort: 7002 }],
        }),
      ]),
    );

    // Upserting again with one rule revokes the other.
    const converged = await aws.h.runOperation('upsertSecurityGroup', {
      ...base,
      ipIngress: [{ cidr: '10.0.0.0/16', startPort: 443, endPort: 443, type: 'tcp' }],
    });
    expect(converged.history.some((l) => l.status.includes('Revoking 1 ingress rule(s)'))).toBe(true);
    expect((await aws.h.readModels.securityGroups!.get('prod', 'us-east-1', 'shop-elb'))!.inboundRules).toHaveLength(1);

    const deleted = await aws.h.runOperation('deleteSecurityGroup', { credentials: 'prod', regions: ['us-east-1'], securityGroupName: 'shop-elb' });
    expect(deleted.errors).toEqual([]);
    const left = await new EC2Client(config()).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['shop-elb'] }] }));
    expect(left.SecurityGroups).toEqual([]);
    expect(await aws.h.readModels.securityGroups!.get('prod', 'us-east-1', 'shop-elb')).toBeUndefined();
  });

  it('names bad rule fields', async () => {
    const run = await aws.h.runOperation('upsertSecurityGroup', {
      credentials: 'prod',
      region: 'us-east-1',
      vpcId: 'nope',
      ipIngress: [{ cidr: 'everywhere', startPort: 80, endPort: 70000 }],
      securityGroupIngress: [{ startPort: 90, endPort: 80 }],
    });
    expect(run.errors.map((e) => e.field).sort()).toEqual(
      ['name', 'vpcId', 'ipIngress[0].cidr', 'ipIngress[0].endPort', 'securityGroupIngress[0].name', 'securityGroupIngress[0].endPort'].sort(),
    );
  });
});

describe('load balancer operations', () => {
  it('creates an application load balancer with a target group and listener, deploys behind it, and deletes it', async () => {
    const upsert = await aws.h.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      name: 'shop-web-frontend',
      loadBalancerType: 'application',
      availabilityZones: { 'us-east-1': ['us-east-1a', 'us-east-1b'] },
      targetGroups: [{ name: 'shop-web-tg', protocol: 'HTTP', port: 7001, healthCheckPath: '/health' }],
      listeners: [{ protocol: 'HTTP', port: 80, defaultActions: [{ type: 'forward', targetGroupName: 'shop-web-tg' }] }],
    });
    expect(upsert.errors).toEqual([]);
    expect(upsert.history.map((l) => l.status)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Creating load balancer shop-web-frontend'),
        'Creating target group shop-web-tg (HTTP:7001)',
        'Creating listener HTTP:80',
      ]),
    );
    const elb = new ElasticLoadBalancingV2Client(config());
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: ['shop-web-frontend'] }))).LoadBalancers![0]!;
    expect((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners).toHaveLength(1);

    // Idempotent: a second upsert creates nothing new.
    const again = await aws.h.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      region: 'us-east-1',
      name: 'shop-web-frontend',
      loadBalancerType: 'application',
      targetGroups: [{ name: 'shop-web-tg', protocol: 'HTTP', port: 7001 }],
      listeners: [{ protocol: 'HTTP', port: 80, defaultActions: [{ targetGroupName: 'shop-web-tg' }] }],
    });
    expect(again.history.some((l) => l.status.startsWith('Creating'))).toBe(false);

    const imageId = 'ami-03cf127a';
    const deploy = await aws.h.runOperation('createServerGroup', {
      credentials: 'prod',
      application: 'shop',
      stack: 'web',
      availabilityZones: { 'us-east-1': ['us-east-1a'] },
      capacity: { min: 1, max: 1, desired: 1 },
      imageId,
      instanceType: 't3.micro',
      targetGroups: ['shop-web-tg'],
    });
    expect(deploy.errors).toEqual([]);
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('LoadBalancerCachingAgent'));
    const lbs = await aws.h.readModels.loadBalancers!.getApplicationLoadBalancers('shop');
    expect(lbs.map((l) => l.name)).toEqual(['shop-web-frontend']);
    expect(lbs[0]!.serverGroups).toEqual([expect.objectContaining({ name: 'shop-web-v000', isDisabled: false, region: 'us-east-1' })]);
    const details = await aws.h.readModels.loadBalancers!.getDetails('prod', 'us-east-1', 'shop-web-frontend');
    expect(details).toEqual([expect.objectContaining({ loadBalancerName: 'shop-web-frontend', targetGroups: ['shop-web-tg'] })]);
    expect((await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'shop-web-v000'))!.targetGroups).toEqual(['shop-web-tg']);

    // Disable deregisters from the target group.
    await aws.h.runOperation('disableServerGroup', { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-web-v000' });
    await aws.h.runAgents('prod', (a) => a.agentType.endsWith('LoadBalancerCachingAgent'));
    const tg = (await aws.h.cache.getAll('targetGroups'))[0]!;
    expect(tg.attributes.instances).toEqual([]);

    const deleted = await aws.h.runOperation('deleteLoadBalancer', { credentials: 'prod', regions: ['us-east-1'], loadBalancerName: 'shop-web-frontend' });
    expect(deleted.errors).toEqual([]);
    expect(await aws.h.readModels.loadBalancers!.list()).toEqual([]);
    const tgs = await elb.send(new DescribeTargetGroupsCommand({}));
    expect(tgs.TargetGroups?.map((t) => t.TargetGroupName) ?? []).not.toContain('shop-web-tg');
    expect(await aws.h.cache.getIdentifiers('targetGroups')).toEqual([]);
  });

  it('names bad load balancer fields', async () => {
    const run = await aws.h.runOperation('upsertLoadBalancer', {
      credentials: 'prod',
      region: 'us-east-1',
      name: 'bad name!',
      loadBalancerType: 'gateway',
      targetGroups: [{ name: 'tg', protocol: 'HTTP', port: 0 }],
      listeners: [{ protocol: 'HTTP', port: 80, defaultActions: [{ targetGroupName: 'missing' }] }],
    });
    expect(run.errors.map((e) => e.field).sort()).toEqual(
      ['listeners[0].defaultActions[0].targetGroupName', 'loadBalancerType', 'name', 'targetGroups[0].port'].sort(),
    );
  });
});
