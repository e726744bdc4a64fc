import type { CacheData } from '@stratus/plugin-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { ProviderTestHost } from './provider-test-host.js';
import { SyntheticCloudRegistry } from './synthetic-cloud-registry.js';
import type { SyntheticCloud } from './synthetic-cloud.js';
import { SyntheticKeys, parseSyntheticKey } from './synthetic-keys.js';
import { createSyntheticProvider } from './synthetic-provider.js';

const REGIONS = ['us-east-1', 'us-west-2'];
const ACCOUNT = {
  name: 'prod',
  regions: REGIONS,
  seed: 11,
  applications: 3,
  serverGroupsPerApplication: 4,
  instancesPerServerGroup: 2,
  environment: 'production',
};

let clock: number;
let host: ProviderTestHost;
let cloud: SyntheticCloud;

async function setUp(config: Record<string, unknown> = {}): Promise<void> {
  clock = 1_700_000_000_000;
  const now = () => clock;
  const clouds = new SyntheticCloudRegistry(now);
  host = await ProviderTestHost.create(createSyntheticProvider({ clouds, now }), { accounts: [ACCOUNT], ...config }, now);
  cloud = clouds.get('prod')!;
}

const ids = async (type: string) => (await host.cache.getIdentifiers(type)).sort();
const item = async (type: string, id: string) => host.cache.get(type, id);
const models = () => host.readModels as Required<typeof host.readModels>;
const rel = (data: CacheData | undefined, name: string) => [...(data?.relationships[name] ?? [])].sort();

describe('synthetic provider: caching', () => {
  beforeEach(() => setUp());

  it('registers per-account, per-region agents plus a cleanup agent', () => {
    const types = host.agents().map((agent) => agent.agentType);
    for (const region of REGIONS) {
      for (const name of [
        'SyntheticClusterCachingAgent',
        'SyntheticInstanceCachingAgent',
        'SyntheticLoadBalancerCachingAgent',
        'SyntheticSecurityGroupCachingAgent',
      ]) {
        expect(types).toContain(`prod/${region}/${name}`);
      }
    }
    expect(types).toContain('SyntheticClusterCleanupAgent');
    expect(types).toHaveLength(2 * 4 + 1);
  });

  it('caches every resource of the cloud under Clouddriver-style keys with relationships', async () => {
    await host.runAgentsWithScheduler();

    const expectedGroups = REGIONS.flatMap((region) => cloud.listServerGroups(region).map((g) => SyntheticKeys.serverGroup('prod', region, g.name))).sort();
    expect(expectedGroups).toHaveLength(12);
    expect(await ids('serverGroups')).toEqual(expectedGroups);
    for (const id of expectedGroups) expect(id).toMatch(/^synthetic:serverGroups:[a-z0-9-]+:prod:us-(east-1|west-2):[a-z0-9-]+-v\d{3}$/);
    expect(await ids('instances')).toHaveLength(24);
    expect(await ids('loadBalancers')).toHaveLength(6);
    expect(await ids('securityGroups')).toHaveLength(6);
    expect(await ids('applications')).toEqual(cloud.applications().map((app) => `synthetic:applications:${app}`));

    for (const region of REGIONS) {
      for (const group of cloud.listServerGroups(region)) {
        const key = SyntheticKeys.serverGroup('prod', region, group.name);
        const cached = await item('serverGroups', key);
        expect(cached?.attributes).toMatchObject({ name: group.name, account: 'prod', region, capacity: group.capacity, disabled: group.disabled });
        expect(rel(cached, 'instances')).toEqual(group.instanceIds.map((id) => SyntheticKeys.instance('prod', region, id)).sort());
        expect(rel(cached, 'loadBalancers')).toEqual(group.loadBalancers.map((lb) => SyntheticKeys.loadBalancer('prod', region, lb)));
        const { application, cluster } = parseSyntheticKey(key)!;
        const clusterKey = SyntheticKeys.cluster(application!, 'prod', cluster!);
        expect(rel(await item('clusters', clusterKey), 'serverGroups')).toContain(key);
        expect(rel(await item('applications', SyntheticKeys.application(application!)), 'clusters')).toContain(clusterKey);
        for (const lb of rel(cached, 'loadBalancers')) expect(rel(await item('loadBalancers', lb), 'serverGroups')).toContain(key);
        for (const id of group.instanceIds) {
          expect(rel(await item('instances', SyntheticKeys.instance('prod', region, id)), 'serverGroups')).toEqual([key]);
        }
      }
    }
  });

  it('merges a cluster contributed by agents of several regions, and cleans it up when its server groups are gone', async () => {
    await host.runAgentsWithScheduler();
    const clusters = await host.cache.getAll('clusters');
    const spanning = clusters.find((c) => new Set(rel(c, 'serverGroups').map((k) => parseSyntheticKey(k)!.region)).size === 2);
    expect(spanning, 'a cluster with server groups in both regions').toBeDefined();
    const { application } = parseSyntheticKey(spanning!.id)!;

    // Delete the cluster's server groups in one region, directly in the cloud.
    const inEast = rel(spanning, 'serverGroups').filter((k) => parseSyntheticKey(k)!.region === 'us-east-1');
    for (const key of inEast) cloud.deleteServerGroup('us-east-1', parseSyntheticKey(key)!.serverGroup!);
    await host.runAgentsWithScheduler();
    const afterEast = await item('clusters', spanning!.id);
    expect(afterEast).toBeDefined();
    expect(rel(afterEast, 'serverGroups').map((k) => parseSyntheticKey(k)!.region)).not.toContain('us-east-1');
    for (const key of inEast) expect(await item('serverGroups', key)).toBeUndefined();

    // Then the rest: the cleanup agent evicts the cluster (and the application once it has no cluster).
    for (const key of rel(afterEast, 'serverGroups')) cloud.deleteServerGroup('us-west-2', parseSyntheticKey(key)!.serverGroup!);
    await host.runAgentsWithScheduler();
    expect(await item('clusters', spanning!.id)).toBeUndefined();
    const names = await models().clusters.getClusterNames(application!);
    expect(names.prod ?? []).not.toContain(spanning!.attributes.name);
    const remaining = REGIONS.flatMap((r) => cloud.listServerGroups(r)).filter((g) => g.name.startsWith(`${application}-`));
    if (remaining.length === 0) expect(await item('applications', SyntheticKeys.application(application!))).toBeUndefined();
  });

  it('evicts resources deleted in the cloud at the next run', async () => {
    await host.runAgents();
    const [group] = cloud.listServerGroups('us-west-2');
    const [lb] = cloud.listLoadBalancers('us-east-1');
    const [sg] = cloud.listSecurityGroups('us-east-1');
    const [instance] = cloud.listInstances('us-east-1');
    cloud.deleteServerGroup('us-west-2', group!.name);
    cloud.deleteLoadBalancer('us-east-1', lb!.name);
    cloud.deleteSecurityGroup('us-east-1', sg!.id);
    cloud.terminateInstances('us-east-1', [instance!.id], false);
    const before = (await ids('instances')).length;

    await host.runAgents();
    expect(await item('serverGroups', SyntheticKeys.serverGroup('prod', 'us-west-2', group!.name))).toBeUndefined();
    for (const id of group!.instanceIds) expect(await item('instances', SyntheticKeys.instance('prod', 'us-west-2', id))).toBeUndefined();
    expect(await item('instances', SyntheticKeys.instance('prod', 'us-east-1', instance!.id))).toBeUndefined();
    expect(await ids('instances')).toHaveLength(before - group!.instanceIds.length - 1);
    expect(await item('loadBalancers', SyntheticKeys.loadBalancer('prod', 'us-east-1', lb!.name))).toBeUndefined();
    expect(await models().securityGroups.get('prod', 'us-east-1', sg!.id)).toBeUndefined();
    expect(await ids('securityGroups')).toHaveLength(5);
  });

  it('evicts everything of a region once its last server group and instance are gone', async () => {
    await host.runAgents();
    for (const group of cloud.listServerGroups('us-west-2')) cloud.deleteServerGroup('us-west-2', group.name);
    await host.runAgents();
    expect((await ids('serverGroups')).filter((id) => id.includes(':us-west-2:'))).toEqual([]);
    expect((await ids('instances')).filter((id) => id.includes(':us-west-2:'))).toEqual([]);
    expect((await ids('serverGroups')).filter((id) => id.includes(':us-east-1:'))).toHaveLength(cloud.listServerGroups('us-east-1').length);
  });

  it('picks up resources created directly in the cloud', async () => {
    await host.runAgents();
    const created = cloud.createServerGroup({ region: 'us-east-1', application: 'newapp', stack: 'test', capacity: { min: 1, max: 1, desired: 1 } });
    cloud.createLoadBalancer('us-east-1', 'newapp-lb');
    await host.runAgents();
    expect(await item('serverGroups', SyntheticKeys.serverGroup('prod', 'us-east-1', created.name))).toBeDefined();
    expect(await models().clusters.getClusterNames('newapp')).toEqual({ prod: ['newapp-test'] });
    expect(await item('loadBalancers', SyntheticKeys.loadBalancer('prod', 'us-east-1', 'newapp-lb'))).toBeDefined();
  });
});

describe('synthetic provider: on-demand (two-phase)', () => {
  beforeEach(() => setUp());

  it('stores a record and the server group at once, then the scheduled run processes and later evicts the record', async () => {
    await host.runAgents();
    const siblings = await ids('serverGroups');
    clock += 1_000;
    const created = cloud.createServerGroup({ region: 'us-east-1', application: 'fresh', capacity: { min: 1, max: 2, desired: 2 } });
    const key = SyntheticKeys.serverGroup('prod', 'us-east-1', created.name);

    const outcome = await host.onDemand('ServerGroup', 'synthetic', { serverGroupName: created.name, account: 'prod', region: 'us-east-1' });
    expect(outcome.status).toBe('PENDING');
    expect(outcome.cachedIdentifiersByType.serverGroups).toEqual([key]);
    expect(await ids('serverGroups')).toEqual([...siblings, key].sort()); // visible at once; no sibling evicted
    expect((await models().clusters.getServerGroup('prod', 'us-east-1', created.name))?.name).toBe(created.name);

    let [pending] = await host.pendingOnDemand('serverGroup', 'synthetic');
    expect(pending).toMatchObject({
      id: key,
      cacheTime: clock,
      processedCount: 0,
      details: { account: 'prod', region: 'us-east-1', serverGroup: created.name },
    });
    expect(pending!.processedTime).toBeUndefined();
    expect(pending!.cacheExpiry).toBe(clock + 600_000);

    clock += 1_000;
    await host.runAgents();
    [pending] = await host.pendingOnDemand('ServerGroup', 'synthetic');
    expect(pending).toMatchObject({ id: key, processedCount: 1, processedTime: clock });

    clock += 1_000;
    await host.runAgents();
    expect(await host.pendingOnDemand('ServerGroup', 'synthetic')).toEqual([]);
    expect(await item('serverGroups', key)).toBeDefined();
  });

  it('lets an unprocessed record win over a describe that is not newer, as Clouddriver does', async () => {
    await host.runAgents();
    const [group] = cloud.listServerGroups('us-east-1');
    const key = SyntheticKeys.serverGroup('prod', 'us-east-1', group!.name);
    clock += 1_000;
    await host.onDemand('ServerGroup', 'synthetic', { serverGroupName: group!.name, account: 'prod', region: 'us-east-1' });
    cloud.resizeServerGroup('us-east-1', group!.name, { min: 0, max: 9, desired: 5 }); // same instant as the record
    await host.runAgents();
    expect((await item('serverGroups', key))!.attributes.capacity).toEqual(group!.capacity);
    clock += 1_000;
    await host.runAgents();
    expect((await item('serverGroups', key))!.attributes.capacity).toEqual({ min: 0, max: 9, desired: 5 });
  });

  it('evicts a server group that is gone and ignores requests for other accounts or types', async () => {
    await host.runAgents();
    const [group] = cloud.listServerGroups('us-west-2');
    const key = SyntheticKeys.serverGroup('prod', 'us-west-2', group!.name);
    cloud.deleteServerGroup('us-west-2', group!.name);
    const outcome = await host.onDemand('ServerGroup', 'synthetic', { serverGroupName: group!.name, account: 'prod', region: 'us-west-2' });
    expect(outcome).toEqual({ status: 'SUCCESSFUL', cachedIdentifiersByType: {} });
    expect(await item('serverGroups', key)).toBeUndefined();

    expect(await host.onDemand('ServerGroup', 'synthetic', { serverGroupName: 'x-v000', account: 'other', region: 'us-west-2' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
    expect(await host.onDemand('LoadBalancer', 'synthetic', { loadBalancerName: 'x', account: 'prod', region: 'us-west-2' })).toEqual({
      status: 'SUCCESSFUL',
      cachedIdentifiersByType: {},
    });
  });
});

describe('synthetic provider: operations', () => {
  beforeEach(() => setUp());

  const create = (extra: Record<string, unknown> = {}) =>
    host.runOperation('createServerGroup', {
      credentials: 'prod',
      application: 'shop',
      stack: 'web',
      region: 'us-east-1',
      capacity: { min: 1, max: 3, desired: 2 },
      loadBalancers: [],
      ...extra,
    });

  it('createServerGroup deploys the next vNNN and the read API shows it without an agent run', async () => {
    await host.runAgents();
    const first = await create();
    expect(first.errors).toEqual([]);
    expect(first.result).toEqual({ serverGroupNames: ['us-east-1:shop-web-v000'], deployedNamesByLocation: { 'us-east-1': ['shop-web-v000'] } });
    expect(first.history[0]).toEqual({ phase: 'DEPLOY', status: 'Initializing deployment to us-east-1...' });
    expect(first.history.length).toBeGreaterThan(2);
    const second = await create({ capacity: { min: 0, max: 1, desired: 1 } });
    expect(second.result).toMatchObject({ serverGroupNames: ['us-east-1:shop-web-v001'] });

    const view = await models().clusters.getServerGroup('prod', 'us-east-1', 'shop-web-v001');
    expect(view).toMatchObject({ name: 'shop-web-v001', capacity: { min: 0, max: 1, desired: 1 }, instanceCounts: { total: 1, up: 1 } });
    expect(await models().clusters.getClusterNames('shop')).toEqual({ prod: ['shop-web'] });
    const cluster = await models().clusters.getCluster('shop', 'prod', 'shop-web', true);
    expect(cluster!.serverGroups.map((g) => g.name)).toEqual(['shop-web-v000', 'shop-web-v001']);
    expect((await models().applications.getApplication('shop'))?.clusterNames).toEqual({ prod: ['shop-web'] });

    // A scheduled run afterwards agrees with what the operation wrote.
    await host.runAgents();
    expect((await models().clusters.getCluster('shop', 'prod', 'shop-web', true))!.serverGroups.map((g) => g.name)).toEqual(['shop-web-v000', 'shop-web-v001']);
  });

  it('resize, disable, enable, terminate and destroy change the cloud and the cache', async () => {
    await host.runAgents();
    await create();
    const sg = { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-web-v000' };
    const get = () => models().clusters.getServerGroup('prod', 'us-east-1', 'shop-web-v000');

    expect((await host.runOperation('resizeServerGroup', { ...sg, capacity: { min: 1, max: 5, desired: 4 } })).errors).toEqual([]);
    expect(cloud.getServerGroup('us-east-1', 'shop-web-v000')!.instanceIds).toHaveLength(4);
    expect(await get()).toMatchObject({ capacity: { min: 1, max: 5, desired: 4 }, instanceCounts: { total: 4, up: 4 } });

    await host.runOperation('disableServerGroup', sg);
    expect(await get()).toMatchObject({ disabled: true, instanceCounts: { total: 4, up: 0, outOfService: 4 } });
    const enable = await host.runOperation('enableServerGroup', sg);
    expect(enable.history.map((line) => line.phase)).toEqual(Array(enable.history.length).fill('ENABLE_SERVER_GROUP'));
    expect(await get()).toMatchObject({ disabled: false, instanceCounts: { up: 4 } });

    const [victim] = (await get())!.instances.map((i) => i.name);
    const terminate = await host.runOperation('terminateInstances', { credentials: 'prod', region: 'us-east-1', instanceIds: [victim] });
    expect(terminate.errors).toEqual([]);
    const afterTerminate = (await get())!.instances.map((i) => i.name);
    expect(afterTerminate).not.toContain(victim);
    expect(afterTerminate).toHaveLength(4);
    expect(await models().instances.getInstance('prod', 'us-east-1', victim!)).toBeUndefined();

    const destroy = await host.runOperation('destroyServerGroup', sg);
    expect(destroy.errors).toEqual([]);
    expect(await get()).toBeUndefined();
    expect(await ids('instances')).not.toContain(SyntheticKeys.instance('prod', 'us-east-1', afterTerminate[0]!));
    expect(await models().clusters.getClusterNames('shop')).toEqual({});
    expect(await models().applications.getApplication('shop')).toBeUndefined();
  });

  it('validators reject bad descriptions naming the fields', async () => {
    const fields = async (name: string, input: Record<string, unknown>) => (await host.runOperation(name, input)).errors.map((e) => e.field).sort();
    expect(await fields('createServerGroup', { region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } })).toEqual(['application', 'credentials']);
    expect(
      await fields('createServerGroup', { credentials: 'nope', application: 'shop', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 1 } }),
    ).toEqual(['credentials']);
    expect(
      await fields('createServerGroup', { credentials: 'prod', application: 'shop', region: 'eu-west-9', capacity: { min: 1, max: 1, desired: 1 } }),
    ).toEqual(['region']);
    expect(
      await fields('createServerGroup', {
        credentials: 'prod',
        application: 'sh-op',
        stack: 'a-b',
        region: 'us-east-1',
        capacity: { min: 3, max: 1, desired: 'x' },
      }),
    ).toEqual(['application', 'capacity.desired', 'capacity.min', 'stack']);
    expect(await fields('createServerGroup', { credentials: 'prod', application: 'shop', region: 'us-east-1' })).toEqual(['capacity']);
    expect(await fields('resizeServerGroup', { credentials: 'prod', region: 'us-east-1', serverGroupName: 'shop-v000' })).toEqual(['capacity']);
    expect(await fields('resizeServerGroup', { credentials: 'prod', region: 'us-east-1', capacity: { min: 1, max: 1, desired: 2 } })).toEqual([
      'capacity.desired',
      'serverGroupName',
    ]);
    expect(await fields('destroyServerGroup', { credentials: 'prod', serverGroupName: 'shop-v000' })).toEqual(['region']);
    expect(await fields('terminateInstances', { credentials: 'prod', region: 'us-east-1', instanceIds: [] })).toEqual(['instanceIds']);
    expect(await fields('terminateInstances', { credentials: 'prod', region: 'us-east-1', instanceIds: ['bogus'] })).toEqual(['instanceIds[0]']);
  });

  it('fails the operation for a server group that does not exist', async () => {
    await expect(host.runOperation('destroyServerGroup', { credentials: 'prod', region: 'us-east-1', serverGroupName: 'ghost-v000' })).rejects.toThrow(
      /ghost-v000 not found/,
    );
    await expect(
      host.runOperation('resizeServerGroup', {
        credentials: 'prod',
        region: 'us-east-1',
        serverGroupName: 'ghost-v000',
        capacity: { min: 0, max: 0, desired: 0 },
      }),
    ).rejects.toThrow(/ghost-v000 not found/);
  });

  it('waits the configured delay, and gives up when the task is aborted', async () => {
    await setUp({ operationDelayMs: { resizeServerGroup: 60_000 } });
    const controller = new AbortController();
    const [group] = cloud.listServerGroups('us-east-1');
    const run = host.runOperation(
      'resizeServerGroup',
      { credentials: 'prod', region: 'us-east-1', serverGroupName: group!.name, capacity: { min: 0, max: 0, desired: 0 } },
      controller.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cloud.getServerGroup('us-east-1', group!.name)!.capacity).toEqual(group!.capacity); // still waiting
    controller.abort(new Error('shutting down'));
    await expect(run).rejects.toThrow('shutting down');
    expect(cloud.getServerGroup('us-east-1', group!.name)!.capacity).toEqual(group!.capacity);
  });

  it('rejects a bad operationDelayMs in the config, naming it', async () => {
    await expect(setUp({ operationDelayMs: 'slow' })).rejects.toThrow(/synthetic\.operationDelayMs/);
  });
});

describe('synthetic provider: read models', () => {
  beforeEach(async () => {
    await setUp();
    await host.runAgents();
  });

  it('serves applications and clusters in Clouddriver shapes', async () => {
    const apps = await models().applications.getApplications(true);
    expect(apps.map((a) => a.name)).toEqual(cloud.applications());
    for (const app of apps) {
      expect(app.attributes).toMatchObject({ name: app.name, cloudProviders: 'synthetic' });
      expect(Object.keys(app.clusterNames)).toEqual(['prod']);
    }
    expect((await models().applications.getApplications(false))[0]!.clusterNames).toEqual({});
    expect(await models().applications.getApplication('nope')).toBeUndefined();

    const app = apps[0]!.name;
    const clusters = await models().clusters.getClusters(app, true);
    expect(clusters.map((c) => c.name).sort()).toEqual([...apps[0]!.clusterNames.prod!].sort());
    const [cluster] = clusters;
    expect(cluster).toMatchObject({ type: 'synthetic', accountName: 'prod', moniker: { app, cluster: cluster!.name } });
    expect(cluster!.loadBalancers.map((lb) => lb.name)).toEqual([`${app}-frontend`, `${app}-frontend`]);
    const group = cluster!.serverGroups[0]!;
    expect(Object.keys(group)).toEqual(
      expect.arrayContaining([
        'name',
        'moniker',
        'type',
        'cloudProvider',
        'account',
        'region',
        'disabled',
        'createdTime',
        'zones',
        'instances',
        'loadBalancers',
        'securityGroups',
        'capacity',
        'instanceCounts',
        'launchConfig',
        'instanceType',
        'tags',
      ]),
    );
    expect(group.moniker).toMatchObject({ app, cluster: cluster!.name, sequence: expect.any(Number) });
    expect(group.instanceCounts.total).toBe(2);
    expect(group.instances[0]).toMatchObject({
      healthState: expect.stringMatching(/Up|OutOfService/),
      cloudProvider: 'synthetic',
      health: [{ type: 'Synthetic' }],
    });
    expect((await models().clusters.getClusters(app, false))[0]!.serverGroups[0]!.instances).toEqual([]);
    expect(await models().clusters.getCluster(app, 'prod', 'nope', true)).toBeUndefined();
  });

  it("names a cluster's load balancers as Clouddriver does, the same whether read alone or with its application", async () => {
    const app = cloud.applications()[0]!;
    const all = await models().clusters.getClusters(app, true);
    for (const listed of all) {
      const alone = await models().clusters.getCluster(app, listed.accountName, listed.name, true);
      expect(alone).toEqual(listed);
    }
    const [cluster] = all;
    // Who the load balancer is, never the server groups behind it (those are `/loadBalancers` reads).
    expect(cluster!.loadBalancers).toEqual(
      ['us-east-1', 'us-west-2'].map((region) => ({
        name: `${app}-frontend`,
        type: 'synthetic',
        cloudProvider: 'synthetic',
        account: 'prod',
        region,
        moniker: expect.objectContaining({ app }),
        serverGroups: [],
      })),
    );
    const [full] = await models().loadBalancers.getApplicationLoadBalancers(app);
    expect(full!.serverGroups.length).toBeGreaterThan(0);
  });

  it('serves instances, load balancers and security groups', async () => {
    const [instance] = cloud.listInstances('us-west-2');
    expect(await models().instances.getInstance('prod', 'us-west-2', instance!.id)).toMatchObject({
      name: instance!.id,
      zone: instance!.zone,
      launchTime: instance!.launchTime,
      account: 'prod',
      region: 'us-west-2',
      serverGroup: instance!.serverGroup,
    });
    const app = cloud.applications()[0]!;
    const lbs = await models().loadBalancers.getApplicationLoadBalancers(app);
    expect(lbs.map((lb) => lb.region).sort()).toEqual(REGIONS);
    const withGroups = lbs.find((lb) => lb.serverGroups.length > 0)!;
    expect(withGroups.serverGroups[0]).toMatchObject({ account: 'prod', cloudProvider: 'synthetic', isDisabled: expect.any(Boolean), detachedInstances: [] });
    expect((withGroups.serverGroups[0]!.instances as unknown[]).length).toBe(2);
    expect(await models().loadBalancers.list()).toHaveLength(6);
    const [details] = await models().loadBalancers.getDetails('prod', withGroups.region!, withGroups.name);
    expect(details).toMatchObject({ name: withGroups.name, dnsName: expect.any(String), vpcId: expect.stringMatching(/^vpc-/) });

    const [sg] = cloud.listSecurityGroups('us-east-1');
    const byName = await models().securityGroups.get('prod', 'us-east-1', sg!.name);
    expect(byName).toMatchObject({ id: sg!.id, name: sg!.name, accountName: 'prod', region: 'us-east-1', vpcId: sg!.vpcId, cloudProvider: 'synthetic' });
    expect(byName!.inboundRules).toEqual([
      { class: 'IpRangeRule', protocol: 'tcp', portRanges: [{ startPort: 7001, endPort: 7001 }], range: { ip: '10.0.0.0', cidr: '/8' } },
    ]);
    expect(await models().securityGroups.get('prod', 'us-east-1', sg!.id, sg!.vpcId)).toEqual(byName);
    expect(await models().securityGroups.get('prod', 'us-east-1', sg!.id, 'vpc-other')).toBeUndefined();
    const all = await models().securityGroups.getAll(false);
    expect(all).toHaveLength(6);
    expect(all[0]!.inboundRules).toBeUndefined();
  });

  it('reads the cache, not the cloud', async () => {
    const [group] = cloud.listServerGroups('us-east-1');
    cloud.resizeServerGroup('us-east-1', group!.name, { min: 0, max: 0, desired: 0 });
    expect((await models().clusters.getServerGroup('prod', 'us-east-1', group!.name))!.capacity).toEqual(group!.capacity);
  });

  it('parses keys for search, with URL templates', () => {
    const [parser] = host.keyParsers;
    expect(parser!.searchableTypes).toEqual(
      expect.arrayContaining(['applications', 'clusters', 'serverGroups', 'instances', 'loadBalancers', 'securityGroups']),
    );
    expect(parser!.parseKey('synthetic:serverGroups:shop-web:prod:us-east-1:shop-web-v003')).toEqual({
      provider: 'synthetic',
      type: 'serverGroups',
      application: 'shop',
      cluster: 'shop-web',
      account: 'prod',
      region: 'us-east-1',
      serverGroup: 'shop-web-v003',
      stack: 'web',
      sequence: '3',
    });
    expect(parser!.parseKey('synthetic:instances:prod:us-east-1:i-0abc')).toMatchObject({ account: 'prod', region: 'us-east-1', instanceId: 'i-0abc' });
    expect(parser!.parseKey('synthetic:clusters:shop:prod:shop-web')).toMatchObject({ application: 'shop', account: 'prod', cluster: 'shop-web' });
    expect(parser!.parseKey('synthetic:securityGroups:shop:sg-1:us-east-1:prod:vpc-1')).toMatchObject({
      name: 'shop',
      id: 'sg-1',
      region: 'us-east-1',
      account: 'prod',
      vpcId: 'vpc-1',
    });
    expect(parser!.parseKey('aws:serverGroups:a:b:c:d')).toBeUndefined();
    expect(parser!.urlTemplates!.serverGroups).toContain('{serverGroup}');
  });
});

describe('synthetic provider: accounts', () => {
  it('rejects bad account definitions, naming the field', async () => {
    await setUp();
    expect(() => host.addAccount({ regions: ['us-east-1'] })).toThrow(/^name /);
    expect(() => host.addAccount({ name: 'x', regions: [] })).toThrow(/^regions /);
    expect(() => host.addAccount({ name: 'x', regions: ['US EAST'] })).toThrow(/^regions\[0\]/);
    expect(() => host.addAccount({ name: 'x', applications: -1 })).toThrow(/^applications /);
    expect(() => host.addAccount({ name: 'x', permissions: { READ: 'team' } })).toThrow(/^permissions\.READ /);
    expect(() => host.addAccount({ name: 'x', seed: 1.5 })).toThrow(/^seed /);
    expect(() => host.addAccount({ name: 'x', primaryAccount: 'yes' })).toThrow(/^primaryAccount /);
    expect(() => host.addAccount({ name: 'x', requiredGroupMembership: [1] })).toThrow(/^requiredGroupMembership /);
    expect(
      host.addAccount({ name: 'y', requiredGroupMembership: ['g'], accountId: '123', challengeDestructiveActions: true, primaryAccount: false }),
    ).toMatchObject({
      requiredGroupMembership: ['g'],
      accountId: '123',
      challengeDestructiveActions: true,
      primaryAccount: false,
    });
    expect(host.addAccount({ name: 'x', permissions: { READ: ['team'], WRITE: ['ops'] } })).toMatchObject({
      name: 'x',
      cloudProvider: 'synthetic',
      type: 'synthetic',
      environment: 'x',
      regions: [{ name: 'us-east-1' }],
      permissions: { READ: ['team'], WRITE: ['ops'] },
    });
  });

  it('is loadable by package name as a default export', async () => {
    const module = (await import('@stratus/testing/synthetic-provider')) as { default: { id: string; configKey?: string; register: unknown } };
    expect(module.default).toMatchObject({ id: 'synthetic', configKey: 'synthetic' });
    expect(typeof module.default.register).toBe('function');
  });
});
