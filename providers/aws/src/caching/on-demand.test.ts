import { AutoScalingClient, CreateAutoScalingGroupCommand, DeleteAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { OnDemandResult } from '@stratus/plugin-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { motoHarness } from '../test-support/moto-harness.js';
import { MOTO_CREDENTIALS } from '../test-support/moto.js';
import type { AwsServerGroupCachingAgent } from './server-group-caching-agent.js';

const aws = motoHarness({ account: { name: 'prod', regions: [{ name: 'us-east-1' }] } });
let agent: AwsServerGroupCachingAgent;

async function createAsg(name: string, desired = 1) {
  const config = { region: 'us-east-1', endpoint: aws.moto.endpoint, credentials: MOTO_CREDENTIALS };
  await new EC2Client(config).send(
    new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: 'ami-03cf127a', InstanceType: 't3.micro' } }),
  );
  await new AutoScalingClient(config).send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateName: name },
      MinSize: 0,
      MaxSize: 3,
      DesiredCapacity: desired,
      AvailabilityZones: ['us-east-1a'],
    }),
  );
}

/** Stores an on-demand result the way the server's on-demand updater does. */
async function store(result: OnDemandResult | undefined) {
  if (result) await aws.h.cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
}

const key = (name: string) => `aws:serverGroups:app-main:prod:us-east-1:${name}`;

beforeEach(async () => {
  agent = aws.h.agents.get('prod')!.find((a) => a.agentType === 'prod/us-east-1/ClusterCachingAgent') as AwsServerGroupCachingAgent;
});

describe('ServerGroup on-demand refresh', () => {
  it('handles ServerGroup for aws only, case-insensitively, and ignores other accounts and regions', async () => {
    expect(agent.onDemandAgentType).toBe('prod/us-east-1/ClusterCachingAgent-OnDemand');
    expect(agent.handles('ServerGroup', 'aws')).toBe(true);
    expect(agent.handles('serverGroup', 'aws')).toBe(true);
    expect(agent.handles('ServerGroup', 'kubernetes')).toBe(false);
    expect(agent.handles('LoadBalancer', 'aws')).toBe(false);
    expect(await agent.handle(aws.h.cache, { account: 'staging', region: 'us-east-1', serverGroupName: 'app-main-v001' })).toBeUndefined();
    expect(await agent.handle(aws.h.cache, { account: 'prod', region: 'eu-west-1', serverGroupName: 'app-main-v001' })).toBeUndefined();
  });

  it('stores a found ASG as visible, leaves siblings alone, lists the pending record and reconciles it in the next run', async () => {
    await createAsg('app-main-v000');
    await aws.h.runAgent(agent);
    await createAsg('app-main-v001', 2);
    await createAsg('app-main-v002');

    const before = Date.now();
    await store(await agent.handle(aws.h.cache, { account: 'prod', region: 'us-east-1', serverGroupName: 'app-main-v001', asgName: 'app-main-v001' }));
    // Orca sends only asgName at times.
    await store(await agent.handle(aws.h.cache, { credentials: 'prod', region: 'us-east-1', asgName: 'app-main-v002' }));
    expect((await aws.h.cache.getIdentifiers('serverGroups')).sort()).toEqual([key('app-main-v000'), key('app-main-v001'), key('app-main-v002')]);
    expect((await aws.h.readModels.clusters!.getServerGroup('prod', 'us-east-1', 'app-main-v001'))!.capacity.desired).toBe(2);

    const pending = await agent.pendingOnDemandRequests(aws.h.cache);
    expect(pending.map((p) => p.id).sort()).toEqual([key('app-main-v001'), key('app-main-v002')]);
    const record = pending.find((p) => p.id === key('app-main-v001'))!;
    expect(record).toMatchObject({
      processedCount: 0,
      details: { account: 'prod', region: 'us-east-1', serverGroup: 'app-main-v001', cluster: 'app-main' },
      moniker: { app: 'app', sequence: 1 },
    });
    expect(record.processedTime).toBeUndefined();
    expect(record.cacheTime).toBeGreaterThanOrEqual(before);
    expect(record.cacheExpiry).toBeGreaterThan(record.cacheTime);

    // The next scheduled run stamps the records processed (what Orca waits for) and keeps the data.
    await aws.h.runAgent(agent);
    const processed = (await agent.pendingOnDemandRequests(aws.h.cache)).find((p) => p.id === key('app-main-v001'))!;
    expect(processed.processedCount).toBe(1);
    expect(processed.processedTime).toBeGreaterThanOrEqual(record.cacheTime);
    expect((await aws.h.cache.getIdentifiers('serverGroups')).length).toBe(3);

    // A run after that, with a describe newer than the record, evicts the processed record.
    await new Promise((r) => setTimeout(r, 5));
    await aws.h.runAgent(agent);
    expect(await agent.pendingOnDemandRequests(aws.h.cache)).toEqual([]);
    expect((await aws.h.cache.getIdentifiers('serverGroups')).length).toBe(3);
  });

  it('evicts a server group found gone, and its on-demand record, without touching siblings', async () => {
    await createAsg('app-main-v000');
    await createAsg('app-main-v001');
    await aws.h.runAgent(agent);
    await store(await agent.handle(aws.h.cache, { account: 'prod', region: 'us-east-1', serverGroupName: 'app-main-v001' }));
    expect(await aws.h.cache.getIdentifiers('onDemand')).toEqual([key('app-main-v001')]);

    await new AutoScalingClient({ region: 'us-east-1', endpoint: aws.moto.endpoint, credentials: MOTO_CREDENTIALS }).send(
      new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'app-main-v001', ForceDelete: true }),
    );
    const result = await agent.handle(aws.h.cache, { account: 'prod', region: 'us-east-1', serverGroupName: 'app-main-v001' });
    expect(result!.cacheResult.evictions).toEqual({ serverGroups: [key('app-main-v001')] });
    await store(result);
    expect(await aws.h.cache.getIdentifiers('serverGroups')).toEqual([key('app-main-v000')]);
    expect(await aws.h.cache.getIdentifiers('onDemand')).toEqual([]);
  });
});
