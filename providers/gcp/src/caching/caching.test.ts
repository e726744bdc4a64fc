import type { AccountTypeDefinition } from '@stratus/plugin-api';
import {
  expectOnDemandRecordProcessedThenEvicted,
  expectProdCachedBesideFailing,
  expectServerGroupOnDemandScope,
  ProviderTestHost,
  type FakeGceServer,
} from '@stratus/testing';
import { createGceProvider, type GceProviderHandle } from '../gce-provider.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gceKeyParser } from '../keys.js';
import { createGceHost, PROJECT, startFakeGce, templateBody } from '../test-support/gce-fixture.js';
import type { GceServerGroupCachingAgent } from './server-group-caching-agent.js';

let server: FakeGceServer;
let host: ProviderTestHost;

const US = 'regions/us-central1';
const sgKey = (name: string, zone?: string) => `gce:serverGroups:${name.replace(/-v\d+$/, '')}:prod:us-central1:${name}${zone ? `:${zone}` : ''}`;

/** A network load balancer (forwarding rule → target pool) and two groups behind / out of it, created directly in the fake. */
function seedCloud(): void {
  const c = server.cloud;
  c.put(PROJECT, US, 'targetPools', { name: 'shop-lb-pool', sessionAffinity: 'NONE' });
  c.put(PROJECT, US, 'forwardingRules', { name: 'shop-lb', IPProtocol: 'TCP', portRange: '80-80', target: c.link(PROJECT, US, 'targetPools', 'shop-lb-pool') });
  const lbMetadata = { metadata: { items: [{ key: 'load-balancer-names', value: 'shop-lb' }] } };
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-web-v001-t', lbMetadata));
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-web-v000-t', lbMetadata));
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-batch-v003-t'));
  c.put(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', {
    name: 'shop-web-v001',
    instanceTemplate: 'global/instanceTemplates/shop-web-v001-t',
    targetSize: 2,
    targetPools: [c.link(PROJECT, US, 'targetPools', 'shop-lb-pool')],
  });
  // Names the load balancer but is in no target pool: disabled.
  c.put(PROJECT, 'zones/us-central1-b', 'instanceGroupManagers', {
    name: 'shop-web-v000',
    instanceTemplate: 'global/instanceTemplates/shop-web-v000-t',
    targetSize: 1,
  });
  c.put(PROJECT, US, 'instanceGroupManagers', {
    name: 'shop-batch-v003',
    instanceTemplate: 'global/instanceTemplates/shop-batch-v003-t',
    targetSize: 3,
    distributionPolicy: { zones: [{ zone: 'zones/us-central1-a' }, { zone: 'zones/us-central1-c' }] },
  });
  c.put(PROJECT, 'global', 'firewalls', {
    name: 'shop-web-http',
    network: 'global/networks/default',
    allowed: [{ IPProtocol: 'tcp', ports: ['80', '8080-8090'] }],
    sourceRanges: ['10.0.0.0/8'],
    targetTags: ['web'],
  });
  c.put(PROJECT, 'global', 'firewalls', {
    name: 'db-only',
    network: 'global/networks/default',
    allowed: [{ IPProtocol: 'tcp', ports: ['5432'] }],
    targetTags: ['db'],
  });
}

beforeAll(async () => {
  // Two items a page: every list the agents make is paged.
  server = await startFakeGce({ maxPageSize: 2 });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  // Each test starts from a clean project: remove whatever the previous one created.
  const c = server.cloud;
  for (const collection of ['instanceGroupManagers', 'instances', 'instanceTemplates', 'forwardingRules', 'targetPools', 'firewalls', 'backendServices']) {
    for (const [scope, r] of c.aggregated(PROJECT, collection)) c.remove(PROJECT, scope, collection, r.name);
    for (const r of c.list(PROJECT, 'global', collection)) c.remove(PROJECT, 'global', collection, r.name);
  }
  ({ host } = await createGceHost(server));
});

describe('GCE caching against the fake compute API', () => {
  it('shows resources created directly in the cloud after one caching cycle, in the shapes Deck reads', async () => {
    seedCloud();
    await host.runAgents();
    const clusters = host.readModels.clusters!;

    expect(await host.readModels.applications!.getApplications(true)).toEqual([
      { name: 'shop', attributes: { name: 'shop', cloudProviders: 'gce' }, clusterNames: { prod: ['shop-batch', 'shop-web'] } },
    ]);
    expect(await host.cache.getIdentifiers('serverGroups').then((ids) => ids.sort())).toEqual(
      [sgKey('shop-batch-v003'), sgKey('shop-web-v000', 'us-central1-b'), sgKey('shop-web-v001', 'us-central1-a')].sort(),
    );

    const zonal = (await clusters.getServerGroup('prod', 'us-central1', 'shop-web-v001'))!;
    expect(zonal).toMatchObject({
      name: 'shop-web-v001',
      cloudProvider: 'gce',
      region: 'us-central1',
      zone: 'us-central1-a',
      zones: ['us-central1-a'],
      regional: false,
      disabled: false,
      capacity: { min: 2, max: 2, desired: 2 },
      instanceCounts: { total: 2, up: 2 },
      instanceType: 'e2-small',
      loadBalancers: ['shop-lb'],
      asg: { minSize: 2, maxSize: 2, desiredCapacity: 2, 'load-balancer-names': ['shop-lb'] },
      networkName: 'default',
      securityGroups: ['shop-web-http'],
      launchConfig: { launchConfigurationName: 'shop-web-v001-t', instanceTemplate: { name: 'shop-web-v001-t', properties: { machineType: 'e2-small' } } },
      moniker: { app: 'shop', stack: 'web', cluster: 'shop-web', sequence: 1 },
    });
    // In the target pool: the load balancer health says so.
    expect(zonal.instances.every((i) => i.health.some((h) => h.type === 'LoadBalancer' && h.state === 'Up'))).toBe(true);
    expect((await clusters.getServerGroup('prod', 'us-central1', 'shop-web-v000'))!.disabled).toBe(true);

    const regional = (await clusters.getServerGroup('prod', 'us-central1', 'shop-batch-v003'))!;
    expect(regional).toMatchObject({
      regional: true,
      zones: ['us-central1-a', 'us-central1-c'],
      capacity: { desired: 3 },
      instanceCounts: { total: 3 },
      securityGroups: ['shop-web-http'],
    });
    expect(new Set(regional.instances.map((i) => i.zone))).toEqual(new Set(['us-central1-a', 'us-central1-c']));

    const cluster = (await clusters.getCluster('shop', 'prod', 'shop-web', true))!;
    expect(cluster.serverGroups.map((s) => s.name).sort()).toEqual(['shop-web-v000', 'shop-web-v001']);
    expect(cluster.loadBalancers.map((lb) => lb.name)).toEqual(['shop-lb']);

    const [lb] = await host.readModels.loadBalancers!.getApplicationLoadBalancers('shop');
    expect(lb).toMatchObject({
      name: 'shop-lb',
      type: 'gce',
      loadBalancerType: 'NETWORK',
      targetPoolName: 'shop-lb-pool',
      ipProtocol: 'TCP',
      portRange: '80-80',
    });
    const behind = new Map(lb!.serverGroups.map((sg) => [sg.name, sg]));
    expect(behind.get('shop-web-v001')).toMatchObject({ isDisabled: false });
    expect((behind.get('shop-web-v001')!.instances as { health: { state: string } }[]).every((i) => i.health.state === 'InService')).toBe(true);
    expect(behind.get('shop-web-v000')).toMatchObject({ isDisabled: true });
    expect(await host.readModels.loadBalancers!.getDetails('prod', 'us-central1', 'shop-lb')).toEqual([
      expect.objectContaining({ loadBalancerName: 'shop-lb', targetPoolName: 'shop-lb-pool' }),
    ]);

    const instanceName = zonal.instances[0]!.name;
    // An instance of a group names the group's application (which application's cached views a
    // change to it touches); its JSON does not, as Clouddriver's does not.
    expect(zonal.instances[0]).not.toHaveProperty('application');
    const cachedInstance = (await host.cache.getIdentifiers('instances')).find((id) => id.endsWith(`:${instanceName}`))!;
    expect((await host.cache.get('instances', cachedInstance))!.attributes).toMatchObject({ serverGroup: 'shop-web-v001', application: 'shop' });
    expect(await host.readModels.instances!.getInstance('prod', 'us-central1', instanceName)).toMatchObject({
      name: instanceName,
      zone: 'us-central1-a',
      healthState: 'Up',
      serverGroup: 'shop-web-v001',
      cluster: 'shop-web',
      application: 'shop',
      health: [
        { type: 'Google', healthClass: 'platform', state: 'Up', status: 'RUNNING' },
        {
          type: 'LoadBalancer',
          state: 'Up',
          loadBalancers: [{ loadBalancerName: 'shop-lb', instanceId: instanceName, state: 'InService', description: 'Healthy' }],
        },
      ],
    });

    const firewall = (await host.readModels.securityGroups!.get('prod', 'global', 'shop-web-http'))!;
    expect(firewall).toMatchObject({
      name: 'shop-web-http',
      cloudProvider: 'gce',
      region: 'global',
      network: 'default',
      targetTags: ['web'],
      application: 'shop',
    });
    expect(firewall.inboundRules).toEqual([
      {
        protocol: 'tcp',
        portRanges: [
          { startPort: 80, endPort: 80 },
          { startPort: 8080, endPort: 8090 },
        ],
        range: { ip: '10.0.0.0', cidr: '/8' },
      },
    ]);
    expect((await host.readModels.securityGroups!.getAll(false)).map((s) => s.name).sort()).toEqual(['db-only', 'shop-web-http']);

    expect(server.requests.some((r) => r.path.includes('/global/instanceTemplates?') && r.path.includes('pageToken='))).toBe(true);
    expect(await host.cache.getIdentifiers('networks')).toEqual(['gce:networks:default:prod:global']);
    expect((await host.callRoute('get', '/networks/gce')).body).toEqual([
      { cloudProvider: 'gce', id: 'default', name: 'default', account: 'prod', region: 'global', autoCreateSubnets: false },
    ]);
    expect((await host.callRoute('get', '/subnets/gce')).body).toEqual([
      { type: 'gce', id: 'default', name: 'default', account: 'prod', region: 'us-central1', network: 'default', ipCidrRange: '10.128.0.0/20', purpose: 'n/a' },
    ]);
    expect((await host.callRoute('get', '/gce/images/find', { query: { q: 'DEBIAN' } })).body).toEqual([
      { imageName: 'debian-12-bookworm-v20240110', account: 'prod', tags: {}, attributes: expect.objectContaining({ family: 'debian-12', project: PROJECT }) },
    ]);
    const noRead = { canReadAccount: () => false, canWriteAccount: () => false };
    expect((await host.callRoute('get', '/gce/images/find', { query: {}, caller: noRead })).body).toEqual([]);
    expect(await host.cache.getIdentifiers('subnets')).toEqual(['gce:subnets:default:prod:us-central1']);
    expect(await host.cache.getIdentifiers('images')).toEqual(['gce:images:prod:debian-12-bookworm-v20240110']);
    expect(gceKeyParser.parseKey(sgKey('shop-web-v001', 'us-central1-a'))).toMatchObject({
      application: 'shop',
      cluster: 'shop-web',
      account: 'prod',
      region: 'us-central1',
      serverGroup: 'shop-web-v001',
      zone: 'us-central1-a',
      sequence: '1',
    });
  });

  it('evicts what disappeared from the cloud after the next cycle, and the cleanup agent drops empty clusters and applications', async () => {
    seedCloud();
    await host.runAgents();
    const c = server.cloud;
    c.remove(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', 'shop-web-v001');
    c.remove(PROJECT, 'zones/us-central1-b', 'instanceGroupManagers', 'shop-web-v000');
    c.remove(PROJECT, 'global', 'firewalls', 'db-only');
    c.remove(PROJECT, US, 'forwardingRules', 'shop-lb');
    await host.runAgents();
    expect(await host.cache.getIdentifiers('serverGroups')).toEqual([sgKey('shop-batch-v003')]);
    expect(await host.readModels.clusters!.getClusterNames('shop')).toEqual({ prod: ['shop-batch'] });
    expect((await host.cache.getIdentifiers('instances')).length).toBe(3);
    expect(await host.readModels.loadBalancers!.list()).toEqual([]);
    expect((await host.readModels.securityGroups!.getAll(false)).map((s) => s.name)).toEqual(['shop-web-http']);

    // The last group of the region goes: full eviction, then the cleanup agent removes the application.
    c.remove(PROJECT, US, 'instanceGroupManagers', 'shop-batch-v003');
    await host.runAgents();
    expect(await host.cache.getIdentifiers('serverGroups')).toEqual([]);
    expect(await host.cache.getIdentifiers('instances')).toEqual([]);
    expect(await host.readModels.applications!.getApplications(false)).toEqual([]);
  });

  it('stops listing when the run is abandoned', async () => {
    seedCloud();
    const abandoned = new AbortController();
    abandoned.abort(new Error('run timed out'));
    for (const agent of host.cachingAgents().filter((a) => a.accountName === 'prod')) {
      await expect(agent.loadData(host.providerCache('gce'), { signal: abandoned.signal }), agent.agentType).rejects.toThrow('run timed out');
    }
  });

  it('keeps caching a healthy account while another account cannot be reached', async () => {
    ({ host } = await createGceHost(server, [
      { name: 'prod', project: PROJECT, regions: ['us-central1'], endpoint: server.endpoint },
      // Port 1 refuses connections at once; zones are configured, so no region lookup is needed either. The SDK retries a refused
      // connection (UNAVAILABLE) until the account's timeout, hence a short one.
      { name: 'broken', project: PROJECT, regions: [{ name: 'us-central1', zones: ['us-central1-a'] }], endpoint: 'http://127.0.0.1:1', timeoutSeconds: 2 },
    ]));
    seedCloud();
    await expectProdCachedBesideFailing(host, 'broken');
  });
});

describe('ServerGroup on-demand refresh', () => {
  const agent = () =>
    host.cachingAgents().find((a) => a.agentType === 'prod/us-central1/GoogleServerGroupCachingAgent') as unknown as GceServerGroupCachingAgent;

  it('handles ServerGroup for gce only and ignores other accounts and regions', async () => {
    await expectServerGroupOnDemandScope(host, agent(), {
      cloudProvider: 'gce',
      agentName: 'GoogleServerGroupCachingAgent',
      region: 'us-central1',
      otherRegion: 'europe-west1',
    });
  });

  it('stores a refreshed group at once, lists it pending, stamps it processed in the next run and evicts it after', async () => {
    seedCloud();
    await host.runAgents();
    server.cloud.put(PROJECT, 'zones/us-central1-c', 'instanceGroupManagers', {
      name: 'shop-web-v002',
      instanceTemplate: 'global/instanceTemplates/shop-web-v001-t',
      targetSize: 1,
    });
    const outcome = await host.onDemand('ServerGroup', 'gce', { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v002' });
    expect(outcome.status).toBe('PENDING');
    expect(outcome.cachedIdentifiersByType.serverGroups).toEqual([sgKey('shop-web-v002', 'us-central1-c')]);
    // Visible before any scheduled run, siblings untouched.
    expect((await host.readModels.clusters!.getCluster('shop', 'prod', 'shop-web', false))!.serverGroups.map((s) => s.name).sort()).toEqual([
      'shop-web-v000',
      'shop-web-v001',
      'shop-web-v002',
    ]);
    expect((await host.readModels.clusters!.getServerGroup('prod', 'us-central1', 'shop-web-v002'))!.capacity.desired).toBe(1);

    const [pending] = await host.pendingOnDemand('ServerGroup', 'gce');
    expect(pending).toMatchObject({
      id: sgKey('shop-web-v002', 'us-central1-c'),
      processedCount: 0,
      details: { serverGroup: 'shop-web-v002', zone: 'us-central1-c' },
      moniker: { sequence: 2 },
    });

    await expectOnDemandRecordProcessedThenEvicted(host, agent(), 'gce', 4);
  });

  it('evicts a group found gone, and its record, without touching siblings', async () => {
    seedCloud();
    await host.runAgents();
    await host.onDemand('ServerGroup', 'gce', { account: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' });
    server.cloud.remove(PROJECT, 'zones/us-central1-b', 'instanceGroupManagers', 'shop-web-v000');
    const outcome = await host.onDemand('ServerGroup', 'gce', { account: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' });
    expect(outcome.status).toBe('SUCCESSFUL');
    expect((await host.cache.getIdentifiers('serverGroups')).sort()).toEqual([sgKey('shop-batch-v003'), sgKey('shop-web-v001', 'us-central1-a')].sort());
    expect(await host.cache.getIdentifiers('onDemand')).toEqual([]);
  });
});

describe('account updates', () => {
  it('keeps an updated account registered and its clients open when the old version is disposed after the new one is built', async () => {
    let handle: GceProviderHandle | undefined;
    const bare = await ProviderTestHost.create(createGceProvider({}, (h) => (handle = h)));
    const raw = { name: 'prod', project: PROJECT, endpoint: server.endpoint, accessToken: 'fake-token' };
    const type = (bare as unknown as { accountTypes: AccountTypeDefinition[] }).accountTypes[0]!;
    const old = type.parse(raw, {});
    type.agents(old);
    const clientsBefore = handle!.clients.forAccount(old as never);
    // The server's order on an update: parse + agents for the new version, then dispose the old one.
    const updated = type.parse({ ...raw, environment: 'prod-2' }, {});
    type.agents(updated);
    await type.dispose!(old);
    expect(handle!.accounts.get('prod')).toBe(updated);
    expect(handle!.clients.forAccount(updated as never) === clientsBefore).toBe(true);
    await type.dispose!(updated);
    expect(handle!.accounts.get('prod')).toBeUndefined();
    expect(handle!.clients.forAccount(updated as never) === clientsBefore).toBe(false);
  });
});
