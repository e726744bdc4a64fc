import { describe, expect, it } from 'vitest';
import { REGION, RESOURCE_GROUP, scaleSetBody, SUBSCRIPTION } from '../src/test-support/azure-fixture.js';
import { putShopLoadBalancer } from '../src/test-support/azure-ops-harness.js';
import { azureServerE2e } from '../src/test-support/azure-server-e2e.js';

/**
 * The "done when", through the HTTP API exactly as Orca would: the real server process
 * (apps/server's `stratus` bin) with the Azure provider enabled, pointed at the fake Resource
 * Manager over HTTPS. The process trusts the fake's certificate through NODE_EXTRA_CA_CERTS and
 * uses the account's static `accessToken`, so no identity endpoint is ever contacted.
 */

const e2e = azureServerE2e({
  tempPrefix: 'stratus-azure-e2e-',
  seed: (fake) => putShopLoadBalancer(fake.cloud),
});
const { call, get, until, runOp } = e2e;

const deployment = (capacity: number) => ({
  cloudProvider: 'azure',
  credentials: 'prod',
  application: 'shop',
  stack: 'web',
  region: REGION,
  image: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest', isCustom: false },
  sku: { name: 'Standard_B1s', tier: 'Standard', capacity },
  osConfig: { adminUserName: 'spinnaker', adminPassword: 'S3cret!pass' },
  loadBalancerName: 'shop-lb',
});

describe('Azure through the Stratus HTTP API', () => {
  it('deploys v000 and v001, then resizes, disables and destroys as Orca would', async () => {
    const first = await runOp('createServerGroup', deployment(1));
    expect(first.history.map((l: { phase: string }) => l.phase)).toContain('DEPLOY');
    expect(JSON.stringify(first.resultObjects)).toContain(`${REGION}:shop-web-v000`);
    // Visible the moment the task completes: the operation refreshed the cache.
    const summaries = await get('/applications/shop/serverGroups');
    expect(summaries.body.map((s: { name: string }) => s.name)).toEqual(['shop-web-v000']);
    expect(summaries.body[0]).toMatchObject({ account: 'prod', region: REGION, cluster: 'shop-web', cloudProvider: 'azure', capacity: { desired: 1 } });

    await runOp('createServerGroup', deployment(1));
    const v000 = `/serverGroups/prod/${REGION}/shop-web-v000`;
    expect((await get(v000)).body.disabled).toBe(true);
    expect((await get(`/serverGroups/prod/${REGION}/shop-web-v001`)).body).toMatchObject({ disabled: false, loadBalancers: ['shop-lb'] });

    const sg = { credentials: 'prod', region: REGION, serverGroupName: 'shop-web-v001' };
    await runOp('resizeServerGroup', { ...sg, capacity: { min: 0, max: 3, desired: 2 } });
    const resized = (await get(`/serverGroups/prod/${REGION}/shop-web-v001`)).body;
    expect(resized.capacity.desired).toBe(2);
    expect(resized.instances.map((i: { name: string }) => i.name).sort()).toEqual(['shop-web-v001_0', 'shop-web-v001_1']);
    await runOp('disableServerGroup', sg);
    expect((await get(`/serverGroups/prod/${REGION}/shop-web-v001`)).body.disabled).toBe(true);
    await runOp('destroyServerGroup', { ...sg, serverGroupName: 'shop-web-v000' });
    expect((await get(v000)).status).toBe(404);
    expect((await get('/applications/shop/serverGroups')).body.map((s: { name: string }) => s.name)).toEqual(['shop-web-v001']);
    const search = await get('/search?q=shop-web-v0&type=serverGroups&platform=azure');
    expect(JSON.stringify(search.body)).toContain('shop-web-v001');
    const instance = await get(`/instances/prod/${REGION}/shop-web-v001_0`);
    expect(instance.body).toMatchObject({ name: 'shop-web-v001_0', cloudProvider: 'azure', serverGroup: 'shop-web-v001' });
  });

  it('refreshes a scale set on demand: visible at once and listed pending until a scheduled run processes it', async () => {
    e2e.fake.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('ondemand-v003', 1));
    const refresh = await call('POST', '/cache/azure/serverGroup', { account: 'prod', region: REGION, serverGroupName: 'ondemand-v003' });
    expect([200, 202]).toContain(refresh.status);
    expect((await get(`/serverGroups/prod/${REGION}/ondemand-v003`)).body).toMatchObject({
      name: 'ondemand-v003',
      cloudProvider: 'azure',
      capacity: { desired: 1 },
    });
    const pending = await get('/cache/azure/serverGroup');
    expect(pending.body.map((p: { id: string }) => p.id)).toContain(`azure:serverGroups:ondemand:prod:${REGION}:ondemand-v003`);
    await until(
      'the on-demand record to be processed',
      () => get('/cache/azure/serverGroup'),
      (a) => Array.isArray(a.body) && a.body.every((p: { id: string; processedCount: number }) => !p.id.endsWith(':ondemand-v003') || p.processedCount > 0),
    );
  });

  it('shows a scale set created directly in the cloud after a caching cycle', async () => {
    e2e.fake.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSetBody('direct-v007', 2));
    const apps = await until(
      'application direct',
      () => get('/applications'),
      (a) => Array.isArray(a.body) && a.body.some((app: { name: string }) => app.name === 'direct'),
    );
    expect(apps.body.find((a: { name: string }) => a.name === 'direct').clusterNames).toEqual({ prod: ['direct'] });
    expect((await get(`/serverGroups/prod/${REGION}/direct-v007`)).body).toMatchObject({
      name: 'direct-v007',
      cloudProvider: 'azure',
      capacity: { desired: 2 },
      instanceType: 'Standard_B1s',
    });
  });

  it('answers a malformed operation with 400 naming the fields', async () => {
    const posted = await call('POST', '/azure/ops', [
      { createServerGroup: { credentials: 'prod', application: 'bad_name', region: REGION, capacity: { min: 2, max: 1 } } },
    ]);
    expect(posted.status).toBe(400);
    const text = JSON.stringify(posted.body);
    for (const field of ['application', 'capacity', 'image', 'sku.name', 'osConfig.adminUserName']) expect(text).toContain(field);
  });

  it('fails the task with the cloud message when a long-running operation fails', async () => {
    e2e.fake.cloud.failNext({
      method: 'PUT',
      idIncludes: '/virtualMachineScaleSets/shop-batch-v000',
      code: 'AllocationFailed',
      message: 'Allocation failed. We do not have sufficient capacity for the requested VM size in this region.',
    });
    const task = await runOp('createServerGroup', { ...deployment(1), stack: 'batch', loadBalancerName: undefined }, true);
    expect(JSON.stringify(task)).toContain('We do not have sufficient capacity for the requested VM size in this region.');
  });

  it('serves network security groups upserted through an operation', async () => {
    await runOp('upsertSecurityGroup', {
      credentials: 'prod',
      region: REGION,
      securityGroupName: 'shop-web-nsg',
      securityRules: [
        { name: 'http', priority: 100, protocol: 'Tcp', access: 'Allow', direction: 'Inbound', sourceAddressPrefix: '10.0.0.0/8', destinationPortRange: '80' },
      ],
    });
    const nsg = await get(`/securityGroups/prod/azure/${REGION}/shop-web-nsg`);
    expect(nsg.status).toBe(200);
    expect(nsg.body).toMatchObject({
      name: 'shop-web-nsg',
      type: 'azure',
      accountName: 'prod',
      region: REGION,
      inboundRules: [{ protocol: 'tcp', range: { cidr: '/8' } }],
    });
  });

  it('creates, reads and deletes a load balancer through /azure/ops as Orca posts them, answering a bad one with 400 naming the fields', async () => {
    const lb = {
      cloudProvider: 'azure',
      credentials: 'prod',
      region: REGION,
      loadBalancerName: 'api-lb',
      loadBalancerType: 'Azure Load Balancer',
      appName: 'api',
      probes: [{ probeName: 'tcp-8080', probeProtocol: 'TCP', probePort: 8080, probeInterval: 5, unhealthyThreshold: 2 }],
      loadBalancingRules: [{ ruleName: 'http', protocol: 'TCP', externalPort: 80, backendPort: 8080, probeName: 'tcp-8080' }],
    };
    const created = await runOp('upsertLoadBalancer', lb);
    expect(JSON.stringify(created.resultObjects)).toContain('api-lb');
    const details = (await get(`/azure/loadBalancers/prod/${REGION}/api-lb`)).body;
    expect(details).toEqual([
      expect.objectContaining({
        loadBalancerName: 'api-lb',
        loadBalancerType: 'Azure Load Balancer',
        loadBalancingRules: [expect.objectContaining({ ruleName: 'http', externalPort: 80, backendPort: 8080 })],
      }),
    ]);
    const bad = await call('POST', '/azure/ops', [
      { upsertLoadBalancer: { ...lb, loadBalancingRules: [{ ruleName: 'http', externalPort: 0, backendPort: 8080 }] } },
    ]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('loadBalancingRules[0].externalPort');
    await runOp('deleteLoadBalancer', {
      cloudProvider: 'azure',
      credentials: 'prod',
      region: REGION,
      loadBalancerName: 'api-lb',
      loadBalancerType: 'Azure Load Balancer',
    });
    expect((await get(`/azure/loadBalancers/prod/${REGION}/api-lb`)).status).toBe(404);
    expect(e2e.fake.cloud.list(SUBSCRIPTION, 'publicIPAddresses').map((ip) => ip.name)).not.toContain('api-lb-pip');
  });
});
