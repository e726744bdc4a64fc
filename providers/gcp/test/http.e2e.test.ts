import { describe, expect, it } from 'vitest';
import { PROJECT, templateBody } from '../src/test-support/gce-fixture.js';
import { putNetworkLoadBalancer, SHOP_DEPLOYMENT } from '../src/test-support/gce-ops-harness.js';
import { gceServerE2e } from '../src/test-support/gce-server-e2e.js';

/**
 * The "done when" for GCE, through the HTTP API as Orca would use it: the real server process
 * (apps/server's `stratus` bin) with `google.enabled`, its account pointed at the fake compute API
 * with a fixed access token (no token endpoint is contacted).
 */

const US = 'regions/us-central1';

const e2e = gceServerE2e({ tempPrefix: 'stratus-gce-e2e-', seed: (gce) => putNetworkLoadBalancer(gce.cloud, 'shop-lb') });
const { call, get, until, runOp, runTask } = e2e;

const deployment = { cloudProvider: 'gce', credentials: 'prod', ...SHOP_DEPLOYMENT, loadBalancers: ['shop-lb'] };

describe('GCE through the Stratus HTTP API', () => {
  it('deploys, shows the group when the task completes, then resizes, disables and destroys it', async () => {
    const deployed = await runOp('createServerGroup', deployment);
    expect(JSON.stringify(deployed.resultObjects)).toContain('us-central1:shop-web-v000');
    const summaries = await get('/applications/shop/serverGroups');
    expect(summaries.body.map((s: { name: string }) => s.name)).toEqual(['shop-web-v000']);
    expect(summaries.body[0]).toMatchObject({ account: 'prod', region: 'us-central1', cluster: 'shop-web', cloudProvider: 'gce' });

    const sg = { credentials: 'prod', region: 'us-central1', serverGroupName: 'shop-web-v000' };
    await runOp('resizeServerGroup', { ...sg, capacity: { min: 3, max: 3, desired: 3 } });
    const resized = (await get('/serverGroups/prod/us-central1/shop-web-v000')).body;
    expect(resized).toMatchObject({ capacity: { desired: 3 }, zones: ['us-central1-a'], regional: false, disabled: false });
    expect(resized.instances).toHaveLength(3);

    await runOp('disableServerGroup', sg);
    expect((await get('/serverGroups/prod/us-central1/shop-web-v000')).body.disabled).toBe(true);
    await runOp('destroyServerGroup', sg);
    expect((await get('/serverGroups/prod/us-central1/shop-web-v000')).status).toBe(404);
    expect(await get('/applications/shop/serverGroups').then((r) => r.body)).toEqual([]);
  });

  it('shows a group created directly in the cloud after one caching cycle', async () => {
    e2e.fake.cloud.put(PROJECT, 'global', 'instanceTemplates', templateBody('batch-v007-t'));
    e2e.fake.cloud.put(PROJECT, US, 'instanceGroupManagers', { name: 'batch-v007', instanceTemplate: 'global/instanceTemplates/batch-v007-t', targetSize: 2 });
    const found = await until(
      'batch-v007 in the read API',
      () => get('/applications/batch/serverGroups'),
      (a) => Array.isArray(a.body) && a.body.length === 1,
    );
    expect(found.body[0]).toMatchObject({ name: 'batch-v007', cloudProvider: 'gce', region: 'us-central1' });
    const detail = await until(
      'its instances',
      () => get('/serverGroups/prod/us-central1/batch-v007'),
      (a) => a.body?.instances?.length === 2,
    );
    expect(detail.body).toMatchObject({ regional: true, instanceCounts: { total: 2 } });
  });

  it('answers malformed operations with 400 naming the fields, and fails the task with the cloud message when an operation fails', async () => {
    const bad = await call('POST', '/gce/ops', [{ createServerGroup: { credentials: 'prod', application: 'Shop!', region: 'us-central1', targetSize: -2 } }]);
    expect(bad.status).toBe(400);
    for (const field of ['application', 'zone', 'targetSize', 'image', 'instanceType']) expect(JSON.stringify(bad.body)).toContain(field);

    e2e.fake.cloud.failNextOperation(
      { operationType: 'insert', collection: 'instanceGroupManagers' },
      { code: 'QUOTA_EXCEEDED', message: "Quota 'INSTANCE_GROUP_MANAGERS' exceeded. Limit: 0.0 globally." },
    );
    const failed = await runTask('createServerGroup', { ...deployment, application: 'quota' });
    expect(failed.status).toMatchObject({ completed: true, failed: true });
    expect(JSON.stringify(failed)).toContain("Quota 'INSTANCE_GROUP_MANAGERS' exceeded. Limit: 0.0 globally.");
    expect((await get('/applications/quota/serverGroups')).body).toEqual([]);
  });
  it('refreshes a server group on demand and serves load balancer, firewall, instance, search, network, image and credential reads', async () => {
    e2e.fake.cloud.put(
      PROJECT,
      'global',
      'instanceTemplates',
      templateBody('direct-v003-t', { metadata: { items: [{ key: 'load-balancer-names', value: 'shop-lb' }] } }),
    );
    e2e.fake.cloud.put(PROJECT, 'zones/us-central1-c', 'instanceGroupManagers', {
      name: 'direct-v003',
      instanceTemplate: 'global/instanceTemplates/direct-v003-t',
      targetSize: 1,
      targetPools: [e2e.fake.cloud.link(PROJECT, US, 'targetPools', 'shop-lb-pool')],
    });
    const refresh = await call('POST', '/cache/gce/serverGroup', { account: 'prod', region: 'us-central1', serverGroupName: 'direct-v003' });
    expect([200, 202]).toContain(refresh.status);
    expect((await get('/serverGroups/prod/us-central1/direct-v003')).body).toMatchObject({
      name: 'direct-v003',
      zone: 'us-central1-c',
      capacity: { desired: 1 },
      loadBalancers: ['shop-lb'],
    });
    const pending = await get('/cache/gce/serverGroup');
    expect(pending.body.map((p: { id: string }) => p.id)).toContain('gce:serverGroups:direct:prod:us-central1:direct-v003:us-central1-c');
    await until(
      'the record to be processed',
      () => get('/cache/gce/serverGroup'),
      (a) => a.body.some((p: { id: string; processedCount: number }) => p.id.includes(':direct-v003') && p.processedCount > 0),
    );

    const lbs = await until(
      'the load balancer with the group behind it',
      () => get('/applications/direct/loadBalancers'),
      (a) => a.body?.[0]?.serverGroups?.[0]?.instances?.length === 1,
    );
    expect(lbs.body[0]).toMatchObject({
      name: 'shop-lb',
      type: 'gce',
      loadBalancerType: 'NETWORK',
      serverGroups: [{ name: 'direct-v003', isDisabled: false }],
    });
    const instanceName = lbs.body[0].serverGroups[0].instances[0].id;
    // The instance itself arrives with the next scheduled instance run.
    const instance = await until(
      'the instance',
      () => get(`/instances/prod/us-central1/${instanceName}`),
      (a) => a.status === 200,
    );
    expect(instance.body).toMatchObject({ name: instanceName, cloudProvider: 'gce', serverGroup: 'direct-v003', healthState: 'Up' });

    await runOp('upsertSecurityGroup', {
      credentials: 'prod',
      securityGroupName: 'direct-http',
      allowed: [{ ipProtocol: 'tcp', portRanges: ['80'] }],
      sourceRanges: ['0.0.0.0/0'],
    });
    expect((await get('/securityGroups/prod/gce/global/direct-http')).body).toMatchObject({
      name: 'direct-http',
      type: 'gce',
      region: 'global',
      inboundRules: [{ protocol: 'tcp', portRanges: [{ startPort: 80, endPort: 80 }] }],
    });

    const search = await get('/search?q=direct-v0&type=serverGroups&platform=gce');
    expect(JSON.stringify(search.body)).toContain('direct-v003');
    expect((await get('/networks/gce')).body).toEqual([expect.objectContaining({ cloudProvider: 'gce', name: 'default', account: 'prod' })]);
    expect((await get('/gce/images/find?q=debian')).body).toEqual([expect.objectContaining({ imageName: 'debian-12-bookworm-v20240110', account: 'prod' })]);
    const credentials = await get('/credentials?expand=true');
    expect(credentials.body).toEqual([expect.objectContaining({ name: 'prod', cloudProvider: 'gce', project: PROJECT })]);
    expect(JSON.stringify(credentials.body)).not.toContain('fake-token');
  });

  it('upserts and deletes a scaling policy, reboots an instance and serves its console output and an image by name, as Orca and Deck call them', async () => {
    await runOp('createServerGroup', { ...deployment, application: 'ops', stack: undefined, loadBalancers: [] });
    const sg = { credentials: 'prod', region: 'us-central1', serverGroupName: 'ops-v000' };
    const upsert = await runOp('upsertScalingPolicy', {
      ...sg,
      cloudProvider: 'gce',
      autoscalingPolicy: { minNumReplicas: 1, maxNumReplicas: 3, cpuUtilization: { utilizationTarget: 0.5 } },
    });
    expect(upsert.history.map((h: { status: string }) => h.status)).toContain('Creating autoscaler for ops-v000');
    const scaled = (await get('/serverGroups/prod/us-central1/ops-v000')).body;
    expect(scaled).toMatchObject({ capacity: { min: 1, max: 3 }, autoscalingPolicy: { maxNumReplicas: 3 } });
    const bad = await call('POST', '/gce/ops', [{ upsertScalingPolicy: { ...sg, autoscalingPolicy: { maxNumReplicas: 'many' } } }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('autoscalingPolicy.maxNumReplicas');
    await runOp('deleteScalingPolicy', sg);
    expect((await get('/serverGroups/prod/us-central1/ops-v000')).body.autoscalingPolicy).toBeUndefined();

    const instance = scaled.instances[0].name as string;
    e2e.fake.cloud.appendSerialOutput(PROJECT, 'zones/us-central1-a', instance, 'Booting Debian GNU/Linux 12');
    await runOp('rebootInstances', { credentials: 'prod', region: 'us-central1', instanceIds: [instance] });
    const console = await get(`/instances/prod/us-central1/${instance}/console?provider=gce`);
    expect(console.status).toBe(200);
    expect(console.body.output).toBe('Booting Debian GNU/Linux 12\nReset by the API (reset #1)\n');
    expect((await get('/instances/prod/us-central1/ops-nope/console')).status).toBe(404);
    expect((await get(`/instances/nobody/us-central1/${instance}/console`)).status).toBe(404);
    // Cached, but deleted in the cloud since: 404, not a server error.
    e2e.fake.cloud.remove(PROJECT, 'zones/us-central1-a', 'instances', scaled.instances[1].name);
    expect((await get(`/instances/prod/us-central1/${scaled.instances[1].name}/console`)).status).toBe(404);

    const image = await get('/gce/images/prod/us-central1/debian-12-bookworm-v20240110');
    expect(image.body).toEqual([expect.objectContaining({ imageName: 'debian-12-bookworm-v20240110', account: 'prod' })]);
    expect((await get('/gce/images/prod/us-central1/debian-9')).status).toBe(404);
  });
});
