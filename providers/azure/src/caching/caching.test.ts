import {
  expectOnDemandRecordProcessedThenEvicted,
  expectProdCachedBesideFailing,
  expectServerGroupOnDemandScope,
  type FakeAzureServer,
  type ProviderTestHost,
} from '@stratus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureKeyParser } from '../keys.js';
import { createAzureHost, REGION, RESOURCE_GROUP, scaleSetBody, startFakeAzure, SUBSCRIPTION } from '../test-support/azure-fixture.js';
import type { AzureServerGroupCachingAgent } from './server-group-caching-agent.js';

let server: FakeAzureServer;
let host: ProviderTestHost;

const sgKey = (name: string) => `azure:serverGroups:${name.replace(/-v\d+$/, '')}:prod:${REGION}:${name}`;
const LB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network/loadBalancers/shop-lb`;
const pool = (name: string) => `${LB_ID}/backendAddressPools/${name}`;

/** A load balancer routing to shop-web-v001's pool, three scale sets, an NSG, a vnet and one scale set elsewhere — made directly in the fake. */
function seedCloud(): void {
  const c = server.cloud;
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'loadBalancers', {
    name: 'shop-lb',
    properties: {
      frontendIPConfigurations: [{ name: 'fe', properties: { privateIPAddress: '10.0.0.4' } }],
      backendAddressPools: [{ name: 'shop-web-v000' }, { name: 'shop-web-v001' }],
      loadBalancingRules: [
        { name: 'http', properties: { protocol: 'Tcp', frontendPort: 80, backendPort: 8080, backendAddressPool: { id: pool('shop-web-v001') } } },
      ],
      probes: [{ name: 'health', properties: { protocol: 'Http', port: 8080, requestPath: '/health' } }],
    },
  });
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'applicationGateways', { name: 'shop-agw', properties: { backendAddressPools: [{ name: 'default' }] } });
  const nsg = c.put(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', {
    name: 'shop-web-nsg',
    properties: {
      securityRules: [
        {
          name: 'http',
          properties: {
            protocol: 'Tcp',
            access: 'Allow',
            direction: 'Inbound',
            priority: 100,
            sourceAddressPrefix: '10.0.0.0/8',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRange: '8080-8090',
          },
        },
      ],
    },
  });
  const vnet = c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualNetworks', {
    name: 'shop-vnet',
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: [
        { name: 'web', properties: { addressPrefix: '10.0.1.0/24' } },
        { name: 'batch', properties: { addressPrefix: '10.0.2.0/24' } },
      ],
    },
  });
  const subnet = (vnet.properties.subnets as { id: string }[])[0]!.id;
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('shop-web-v001', 2, { pools: [pool('shop-web-v001')], nsg: nsg.id, subnet }));
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('shop-web-v000', 1, { pools: [pool('shop-web-v000')] }));
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('shop-batch-v003', 3));
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'images', {
    name: 'shop-base-2024',
    properties: { storageProfile: { osDisk: { osType: 'Linux', osState: 'Generalized' } } },
  });
  // Another location: not this account's region, never cached.
  c.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', { ...scaleSetBody('shop-west-v000', 1), location: 'westus' });
}

beforeAll(async () => {
  server = await startFakeAzure();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  // Each test starts from an empty resource group.
  for (const type of ['virtualMachineScaleSets', 'loadBalancers', 'applicationGateways', 'networkSecurityGroups', 'virtualNetworks', 'images']) {
    for (const r of server.cloud.list(SUBSCRIPTION, type)) server.cloud.remove(r.id);
  }
  ({ host } = await createAzureHost(server));
});

describe('Azure caching against the fake Resource Manager', () => {
  it('shows resources created directly in the cloud after one caching cycle, in the shapes Deck reads', async () => {
    seedCloud();
    await host.runAgents();
    const clusters = host.readModels.clusters!;

    expect(await host.readModels.applications!.getApplications(true)).toEqual([
      { name: 'shop', attributes: { name: 'shop', cloudProviders: 'azure' }, clusterNames: { prod: ['shop-batch', 'shop-web'] } },
    ]);
    expect((await host.cache.getIdentifiers('serverGroups')).sort()).toEqual([sgKey('shop-batch-v003'), sgKey('shop-web-v000'), sgKey('shop-web-v001')].sort());

    const web = (await clusters.getServerGroup('prod', REGION, 'shop-web-v001'))!;
    expect(web).toMatchObject({
      name: 'shop-web-v001',
      cloudProvider: 'azure',
      type: 'azure',
      account: 'prod',
      region: REGION,
      resourceGroupName: RESOURCE_GROUP,
      disabled: false,
      capacity: { min: 2, max: 2, desired: 2 },
      instanceCounts: { total: 2, up: 2 },
      instanceType: 'Standard_B1s',
      image: { isCustom: false, publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' },
      loadBalancers: ['shop-lb'],
      securityGroups: ['shop-web-nsg'],
      vnet: 'shop-vnet',
      subnet: 'web',
      moniker: { app: 'shop', stack: 'web', cluster: 'shop-web', sequence: 1 },
    });
    expect(web.instances.map((i) => i.name).sort()).toEqual(['shop-web-v001_0', 'shop-web-v001_1']);
    expect(web.instances.every((i) => i.health.some((h) => h.type === 'LoadBalancer' && h.state === 'Up'))).toBe(true);
    // In the pool, but no rule routes to it: disabled.
    const old = (await clusters.getServerGroup('prod', REGION, 'shop-web-v000'))!;
    expect(old).toMatchObject({ disabled: true, instanceCounts: { total: 1, outOfService: 1 } });
    expect(await clusters.getServerGroup('prod', REGION, 'shop-west-v000')).toBeUndefined();

    const cluster = (await clusters.getCluster('shop', 'prod', 'shop-web', true))!;
    expect(cluster.serverGroups.map((s) => s.name).sort()).toEqual(['shop-web-v000', 'shop-web-v001']);
    expect(cluster.loadBalancers.map((lb) => lb.name)).toEqual(['shop-lb']);

    const lbs = await host.readModels.loadBalancers!.getApplicationLoadBalancers('shop');
    const lb = lbs.find((l) => l.name === 'shop-lb')!;
    expect(lb).toMatchObject({
      type: 'azure',
      loadBalancerType: 'Azure Load Balancer',
      activeBackendPools: ['shop-web-v001'],
      loadBalancingRules: [{ ruleName: 'http', externalPort: 80, backendPort: 8080 }],
    });
    const behind = new Map(lb.serverGroups.map((sg) => [sg.name, sg]));
    expect(behind.get('shop-web-v001')).toMatchObject({ isDisabled: false });
    expect(behind.get('shop-web-v000')).toMatchObject({ isDisabled: true });
    expect(lbs.find((l) => l.name === 'shop-agw')).toMatchObject({ loadBalancerType: 'Azure Application Gateway' });
    expect(await host.readModels.loadBalancers!.getDetails('prod', REGION, 'shop-lb')).toEqual([
      expect.objectContaining({ loadBalancerName: 'shop-lb', resourceGroup: RESOURCE_GROUP }),
    ]);

    // A VM names its scale set's application (which application's cached views a change to it
    // touches); its JSON in a server group does not, as Clouddriver's does not.
    const vmKey = (await host.cache.getIdentifiers('instances')).find((id) => id.includes('shop-web-v001_0'))!;
    expect((await host.cache.get('instances', vmKey))!.attributes).toMatchObject({ serverGroup: 'shop-web-v001', application: 'shop' });
    expect((await host.readModels.clusters!.getServerGroup('prod', REGION, 'shop-web-v001'))!.instances[0]).not.toHaveProperty('application');
    expect(await host.readModels.instances!.getInstance('prod', REGION, 'shop-web-v001_0')).toMatchObject({
      name: 'shop-web-v001_0',
      healthState: 'Up',
      serverGroup: 'shop-web-v001',
      cluster: 'shop-web',
      application: 'shop',
      cloudProvider: 'azure',
    });

    const nsg = (await host.readModels.securityGroups!.get('prod', REGION, 'shop-web-nsg'))!;
    expect(nsg).toMatchObject({
      name: 'shop-web-nsg',
      cloudProvider: 'azure',
      region: REGION,
      accountName: 'prod',
      application: 'shop',
      resourceGroup: RESOURCE_GROUP,
    });
    expect(nsg.inboundRules).toEqual([
      { protocol: 'tcp', access: 'Allow', priority: 100, portRanges: [{ startPort: 8080, endPort: 8090 }], range: { ip: '10.0.0.0', cidr: '/8' } },
    ]);

    expect(await host.cache.getIdentifiers('networks')).toEqual([`azure:networks:shop-vnet:${RESOURCE_GROUP}:prod:${REGION}`]);
    expect((await host.cache.getIdentifiers('subnets')).sort()).toEqual([
      `azure:subnets:batch:shop-vnet:prod:${REGION}`,
      `azure:subnets:web:shop-vnet:prod:${REGION}`,
    ]);
    expect(await host.cache.getIdentifiers('images')).toEqual([`azure:images:prod:${REGION}:shop-base-2024`]);
    expect(azureKeyParser.parseKey(sgKey('shop-web-v001'))).toMatchObject({
      application: 'shop',
      cluster: 'shop-web',
      account: 'prod',
      region: REGION,
      serverGroup: 'shop-web-v001',
      sequence: '1',
    });
    // Lists were paged (2 per page): the scale set list needed more than one request.
    expect(server.requests.filter((r) => r.path.endsWith('/providers/Microsoft.Compute/virtualMachineScaleSets')).length).toBeGreaterThan(1);
  });

  it('leaves a VM whose provisioning failed out of every health count but the total, as Clouddriver does', async () => {
    seedCloud();
    const web = server.cloud.list(SUBSCRIPTION, 'virtualMachineScaleSets').find((r) => r.name === 'shop-web-v001')!;
    const failed = server.cloud.scaleSetVms(web.id)[0]!;
    failed.properties.provisioningState = 'Failed';
    failed.properties.instanceView = { statuses: [{ code: 'ProvisioningState/failed', level: 'Error' }] };
    await host.runAgents();

    const group = (await host.readModels.clusters!.getServerGroup('prod', REGION, 'shop-web-v001'))!;
    expect(group.instances.find((i) => i.name === failed.name)).toMatchObject({ healthState: 'Failed' });
    expect(group.instanceCounts).toEqual({ total: 2, up: 1, down: 0, unknown: 0, outOfService: 0, starting: 0 });
  });

  it('serves networks, subnets and custom images through provider routes, to callers who may read the account', async () => {
    seedCloud();
    await host.runAgents();
    const reader = { canReadAccount: (a: string) => a === 'prod', canWriteAccount: () => false };
    expect((await host.callRoute('get', '/networks/azure', { caller: reader })).body).toEqual([
      {
        cloudProvider: 'azure',
        id: 'shop-vnet',
        name: 'shop-vnet',
        account: 'prod',
        region: REGION,
        resourceGroup: RESOURCE_GROUP,
        addressSpace: ['10.0.0.0/16'],
      },
    ]);
    const subnets = (await host.callRoute('get', '/subnets/azure', { caller: reader })).body as { name: string; vnet: string; addressPrefix: string }[];
    expect(subnets.map((s) => [s.name, s.vnet, s.addressPrefix]).sort()).toEqual([
      ['batch', 'shop-vnet', '10.0.2.0/24'],
      ['web', 'shop-vnet', '10.0.1.0/24'],
    ]);
    const images = await host.callRoute('get', '/azure/images/find', { query: { q: 'BASE' }, caller: reader });
    expect(images.body).toEqual([
      expect.objectContaining({
        imageName: 'shop-base-2024',
        isCustom: true,
        ostype: 'Linux',
        account: 'prod',
        region: REGION,
        uri: expect.stringMatching(/\/providers\/Microsoft.Compute\/images\/shop-base-2024$/),
      }),
    ]);
    expect((await host.callRoute('get', '/azure/images/find', { query: { q: 'nothing-like-it' }, caller: reader })).body).toEqual([]);
    const byName = await host.callRoute('get', `/azure/images/prod/${REGION}/shop-base-2024`, { caller: reader });
    expect(byName.body).toEqual([expect.objectContaining({ imageName: 'shop-base-2024', account: 'prod', region: REGION, isCustom: true })]);
    await expect(host.callRoute('get', `/azure/images/prod/${REGION}/shop-base-1999`, { caller: reader })).rejects.toMatchObject({
      status: 404,
      message: `shop-base-1999 not found in prod/${REGION}`,
    });
    await expect(
      host.callRoute('get', `/azure/images/prod/${REGION}/shop-base-2024`, { caller: { canReadAccount: () => false, canWriteAccount: () => false } }),
    ).rejects.toMatchObject({ status: 404 });
    const stranger = { canReadAccount: () => false, canWriteAccount: () => false };
    expect((await host.callRoute('get', '/networks/azure', { caller: stranger })).body).toEqual([]);
  });

  it('evicts what disappeared from the cloud after the next cycle, and the cleanup agent drops empty clusters and applications', async () => {
    seedCloud();
    await host.runAgents();
    const c = server.cloud;
    c.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'shop-web-v001');
    c.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'shop-web-v000');
    c.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', 'shop-web-nsg');
    c.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'loadBalancers', 'shop-lb');
    await host.runAgents();
    expect(await host.cache.getIdentifiers('serverGroups')).toEqual([sgKey('shop-batch-v003')]);
    expect(await host.readModels.clusters!.getClusterNames('shop')).toEqual({ prod: ['shop-batch'] });
    expect((await host.cache.getIdentifiers('instances')).sort()).toEqual([0, 1, 2].map((i) => `azure:instances:prod:${REGION}:shop-batch-v003_${i}`));
    expect((await host.readModels.loadBalancers!.list()).map((l) => l.name)).toEqual(['shop-agw']);
    expect(await host.readModels.securityGroups!.getAll(false)).toEqual([]);

    c.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'shop-batch-v003');
    await host.runAgents();
    expect(await host.cache.getIdentifiers('serverGroups')).toEqual([]);
    expect(await host.cache.getIdentifiers('instances')).toEqual([]);
    expect(await host.readModels.applications!.getApplications(false)).toEqual([]);
  });

  it('keeps caching a healthy account while another account cannot be reached', async () => {
    ({ host } = await createAzureHost(server, [
      { name: 'prod', accessToken: 'x', subscriptionId: SUBSCRIPTION, defaultResourceGroup: RESOURCE_GROUP, regions: [REGION], endpoint: server.endpoint },
      // Port 1 refuses connections at once.
      {
        name: 'broken',
        accessToken: 'x',
        subscriptionId: SUBSCRIPTION,
        defaultResourceGroup: RESOURCE_GROUP,
        regions: [REGION],
        endpoint: 'https://127.0.0.1:1',
      },
    ]));
    seedCloud();
    await expectProdCachedBesideFailing(host, 'broken');
  });
});

describe('ServerGroup on-demand refresh', () => {
  const agent = () =>
    host.cachingAgents().find((a) => a.agentType === `prod/${REGION}/AzureServerGroupCachingAgent`) as unknown as AzureServerGroupCachingAgent;

  it('handles ServerGroup for azure only and ignores other accounts and regions', async () => {
    await expectServerGroupOnDemandScope(host, agent(), {
      cloudProvider: 'azure',
      agentName: 'AzureServerGroupCachingAgent',
      region: REGION,
      otherRegion: 'westus',
    });
  });

  it('stores a refreshed group at once, lists it pending, stamps it processed in the next run and evicts it after', async () => {
    seedCloud();
    await host.runAgents();
    server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('shop-web-v002', 1));
    const outcome = await host.onDemand('ServerGroup', 'azure', { credentials: 'prod', region: REGION, serverGroupName: 'shop-web-v002' });
    expect(outcome.status).toBe('PENDING');
    expect(outcome.cachedIdentifiersByType.serverGroups).toEqual([sgKey('shop-web-v002')]);
    // Visible before any scheduled run, siblings untouched.
    expect((await host.readModels.clusters!.getCluster('shop', 'prod', 'shop-web', false))!.serverGroups.map((s) => s.name).sort()).toEqual([
      'shop-web-v000',
      'shop-web-v001',
      'shop-web-v002',
    ]);
    expect((await host.readModels.clusters!.getServerGroup('prod', REGION, 'shop-web-v002'))!.instances.map((i) => i.name)).toEqual(['shop-web-v002_0']);

    const [pending] = await host.pendingOnDemand('ServerGroup', 'azure');
    expect(pending).toMatchObject({ id: sgKey('shop-web-v002'), processedCount: 0, details: { serverGroup: 'shop-web-v002' }, moniker: { sequence: 2 } });

    await expectOnDemandRecordProcessedThenEvicted(host, agent(), 'azure', 4);
  });

  it('evicts the instances a refreshed group no longer has, and no others', async () => {
    seedCloud();
    await host.runAgents();
    const instance = (name: string) => `azure:instances:prod:${REGION}:${name}`;
    expect(await host.cache.getIdentifiers('instances')).toContain(instance('shop-web-v001_1'));
    // Scaled in outside Spinnaker: the fake drops the VMs above the new capacity.
    server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('shop-web-v001', 1, { pools: [pool('shop-web-v001')] }));
    await host.onDemand('ServerGroup', 'azure', { account: 'prod', region: REGION, serverGroupName: 'shop-web-v001' });
    const instances = await host.cache.getIdentifiers('instances');
    expect(instances).not.toContain(instance('shop-web-v001_1'));
    expect(instances).toEqual(expect.arrayContaining([instance('shop-web-v001_0'), instance('shop-web-v000_0'), instance('shop-batch-v003_2')]));
  });

  it('evicts a group found gone, with its instances, without touching siblings', async () => {
    seedCloud();
    await host.runAgents();
    server.cloud.removeByName(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', 'shop-web-v000');
    const outcome = await host.onDemand('ServerGroup', 'azure', { account: 'prod', region: REGION, serverGroupName: 'shop-web-v000' });
    expect(outcome.status).toBe('SUCCESSFUL');
    expect((await host.cache.getIdentifiers('serverGroups')).sort()).toEqual([sgKey('shop-batch-v003'), sgKey('shop-web-v001')].sort());
    expect(await host.cache.getIdentifiers('instances')).not.toContain(`azure:instances:prod:${REGION}:shop-web-v000_0`);
    expect(await host.cache.getIdentifiers('onDemand')).toEqual([]);
  });
});
