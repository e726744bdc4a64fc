import { FakeFront50Snapshots, startStratusProcess, type FakeGceServer, type StratusProcess } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT, startFakeGce, templateBody } from '../src/test-support/gce-fixture.js';

/**
 * `saveSnapshot` and `restoreSnapshot` through the real server process as Orca sends them, with a
 * loopback Front50 keeping the snapshots: the world is seeded in the fake GCE before the server
 * starts, saved, partly deleted or changed in the fake, restored, and read back.
 */

const US = 'regions/us-central1';
const ZONE = 'zones/us-central1-a';
const link = (path: string) => `projects/${PROJECT}/${path}`;

let gce: FakeGceServer;
let front50: FakeFront50Snapshots;
let server: StratusProcess | undefined;

const call = (method: string, path: string, body?: unknown) => server!.call(method, path, body);
const get = (path: string) => server!.get(path);

async function runTask(name: string, description: Record<string, unknown>): Promise<any> {
  const posted = await call('POST', '/gce/ops', [{ [name]: { cloudProvider: 'gce', credentials: 'prod', ...description } }]);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  return (
    await server!.until(
      `task ${posted.body.id}`,
      () => get(`/task/${posted.body.id}`),
      (a) => a.body?.status?.completed === true,
      45_000,
    )
  ).body;
}
const statuses = (task: any): string[] => task.history.map((h: { status: string }) => h.status);
const restoredLine = (task: any): string => statuses(task).find((s) => s.startsWith('Restored snapshot')) ?? '';

function seedWorld(): void {
  const c = gce.cloud;
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-web-v000-t', { tags: { items: ['shop-web'] } }));
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-api-v001-t', { tags: { items: ['shop-api'] }, machineType: 'e2-medium' }));
  c.put(PROJECT, 'global', 'instanceTemplates', templateBody('other-v000-t', { tags: { items: ['other'] } }));
  c.put(PROJECT, US, 'targetPools', { name: 'shop-lb-tp' });
  c.put(PROJECT, US, 'forwardingRules', { name: 'shop-lb', IPProtocol: 'TCP', portRange: '80-80', target: link('regions/us-central1/targetPools/shop-lb-tp') });
  c.put(PROJECT, ZONE, 'instanceGroupManagers', {
    name: 'shop-web-v000',
    instanceTemplate: link('global/instanceTemplates/shop-web-v000-t'),
    targetSize: 2,
    targetPools: [link('regions/us-central1/targetPools/shop-lb-tp')],
  });
  c.put(PROJECT, ZONE, 'instanceGroupManagers', { name: 'shop-api-v001', instanceTemplate: link('global/instanceTemplates/shop-api-v001-t'), targetSize: 2 });
  c.put(PROJECT, ZONE, 'autoscalers', {
    name: 'shop-api-v001',
    target: link('zones/us-central1-a/instanceGroupManagers/shop-api-v001'),
    autoscalingPolicy: { minNumReplicas: 2, maxNumReplicas: 5, coolDownPeriodSec: 90, cpuUtilization: { utilizationTarget: 0.6 } },
  });
  c.put(PROJECT, ZONE, 'instanceGroupManagers', { name: 'other-v000', instanceTemplate: link('global/instanceTemplates/other-v000-t'), targetSize: 1 });
  c.put(PROJECT, 'global', 'firewalls', {
    name: 'shop-web-fw',
    network: 'global/networks/default',
    allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }],
    sourceRanges: ['10.0.0.0/8'],
    targetTags: ['shop-web'],
  });
  c.put(PROJECT, 'global', 'firewalls', { name: 'other-fw', network: 'global/networks/default', allowed: [{ IPProtocol: 'tcp' }], targetTags: ['other'] });
}

beforeAll(async () => {
  gce = await startFakeGce();
  front50 = await FakeFront50Snapshots.start();
  seedWorld();
  const account = { name: 'prod', project: PROJECT, regions: ['us-central1'], endpoint: gce.endpoint, accessToken: 'fake-token' };
  server = await startStratusProcess({
    tempPrefix: 'stratus-gce-snapshot-e2e-',
    config: {
      google: { enabled: true, agentIntervalSeconds: 2, accounts: [account] },
      services: { front50: { enabled: true, baseUrl: front50.baseUrl } },
    },
    dropEnvPrefixes: ['GOOGLE_'],
    readyTimeoutMs: 90_000,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await gce?.close();
  await front50?.close();
}, 30_000);

describe('GCE snapshots through /gce/ops and Front50', () => {
  it('saves the application, then restores what was deleted or changed in the cloud', async () => {
    const saved = await runTask('saveSnapshot', { applicationName: 'shop' });
    expect(saved.status, JSON.stringify(saved.history)).toMatchObject({ completed: true, failed: false });
    expect(saved.resultObjects).toEqual([]);
    expect(front50.requests).toContain('POST /snapshots');
    const [snapshot] = front50.history('shop-prod');
    expect(snapshot).toMatchObject({ application: 'shop', account: 'prod', configLang: 'TERRAFORM' });
    const infra = snapshot!.infrastructure as Record<string, Record<string, any>>;
    expect(Object.keys(infra.google_compute_instance_group_manager!).sort()).toEqual(['shop-api-v001', 'shop-web-v000']);
    expect(infra.google_compute_instance_group_manager!['shop-web-v000']).toMatchObject({
      zone: 'us-central1-a',
      target_size: 2,
      instance_template: '${google_compute_instance_template.shop-web-v000-t.self_link}',
      target_pools: ['${google_compute_target_pool.shop-lb.self_link}'],
    });
    // Autoscaled: the autoscaler owns the size (Clouddriver writes one or the other).
    expect(infra.google_compute_instance_group_manager!['shop-api-v001'].target_size).toBeUndefined();
    expect(infra.google_compute_autoscaler!['shop-api-v001'].autoscaling_policy).toEqual({
      min_replicas: 2,
      max_replicas: 5,
      cooldown_period: 90,
      cpu_utilization: { target: 0.6 },
    });
    expect(infra.google_compute_instance_template!['shop-api-v001-t']).toMatchObject({ machine_type: 'e2-medium', tags: ['shop-api'] });
    expect(infra.google_compute_forwarding_rule!['shop-lb']).toMatchObject({ ip_protocol: 'TCP', target: '${google_compute_target_pool.shop-lb.self_link}' });
    expect(Object.keys(infra.google_compute_firewall!)).toEqual(['shop-web-fw']);
    expect(statuses(saved).join('\n')).toContain('Saved snapshot of shop in prod');

    // Outside Spinnaker: the api group, its autoscaler and template, the firewall and the LB's rule go; the web group grows.
    const c = gce.cloud;
    c.remove(PROJECT, ZONE, 'autoscalers', 'shop-api-v001');
    c.remove(PROJECT, ZONE, 'instanceGroupManagers', 'shop-api-v001');
    c.remove(PROJECT, 'global', 'instanceTemplates', 'shop-api-v001-t');
    c.remove(PROJECT, 'global', 'firewalls', 'shop-web-fw');
    c.remove(PROJECT, US, 'forwardingRules', 'shop-lb');
    c.put(PROJECT, ZONE, 'instanceGroupManagers', { ...c.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')!, targetSize: 4 });

    // Orca passes the stage context on; the timestamp may come as a string of digits.
    const restored = await runTask('restoreSnapshot', { applicationName: 'shop', snapshotTimestamp: String(snapshot!.timestamp) });
    expect(restored.status, JSON.stringify(restored.history)).toMatchObject({ completed: true, failed: false });
    const summary = restoredLine(restored);
    for (const created of [
      'forwarding rule shop-lb',
      'firewall shop-web-fw',
      'instance template shop-api-v001-t',
      'server group shop-api-v001',
      'autoscaler shop-api-v001',
    ])
      expect(summary).toContain(created);
    expect(summary).toContain('updated server group shop-web-v000');

    expect(c.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-web-v000')).toMatchObject({ targetSize: 2 });
    expect(c.get(PROJECT, ZONE, 'instanceGroupManagers', 'shop-api-v001')).toMatchObject({
      targetSize: 2,
      instanceTemplate: expect.stringContaining('/global/instanceTemplates/shop-api-v001-t'),
    });
    expect(c.get(PROJECT, 'global', 'instanceTemplates', 'shop-api-v001-t')!.properties).toMatchObject({
      machineType: 'e2-medium',
      tags: { items: ['shop-api'] },
      disks: [{ boot: true, initializeParams: { sourceImage: expect.stringContaining('/global/images/debian-12-bookworm-v20240110') } }],
    });
    expect(c.get(PROJECT, ZONE, 'autoscalers', 'shop-api-v001')!.autoscalingPolicy).toMatchObject({
      minNumReplicas: 2,
      maxNumReplicas: 5,
      coolDownPeriodSec: 90,
    });
    expect(c.get(PROJECT, 'global', 'firewalls', 'shop-web-fw')).toMatchObject({ allowed: [{ IPProtocol: 'tcp', ports: ['8080'] }], targetTags: ['shop-web'] });
    expect(c.get(PROJECT, US, 'forwardingRules', 'shop-lb')).toMatchObject({ IPProtocol: 'TCP', target: expect.stringContaining('/targetPools/shop-lb-tp') });
    // What the snapshot does not name stays.
    expect(c.get(PROJECT, ZONE, 'instanceGroupManagers', 'other-v000')).toBeDefined();

    // The cache was refreshed by the operation: Deck sees the restored group at once.
    const api = (await get('/serverGroups/prod/us-central1/shop-api-v001')).body;
    expect(api).toMatchObject({ name: 'shop-api-v001', capacity: { min: 2, max: 5 } });
    expect((await get('/serverGroups/prod/us-central1/shop-web-v000')).body).toMatchObject({ capacity: { desired: 2 } });

    // A second restore finds everything as saved.
    const again = await runTask('restoreSnapshot', { applicationName: 'shop', snapshotTimestamp: snapshot!.timestamp });
    expect(restoredLine(again)).toMatch(/created nothing; updated nothing; \d+ already as saved/);
  });

  it('rejects descriptions naming the field, and fails the task for a timestamp Front50 does not have', async () => {
    const bad = await call('POST', '/gce/ops', [{ restoreSnapshot: { cloudProvider: 'gce', credentials: 'prod', applicationName: 'shop' } }]);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('snapshotTimestamp');
    const badTime = await call('POST', '/gce/ops', [
      { restoreSnapshot: { cloudProvider: 'gce', credentials: 'prod', applicationName: 'shop', snapshotTimestamp: 'yesterday' } },
    ]);
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(badTime.body)).toContain('snapshotTimestamp');
    const noApp = await call('POST', '/gce/ops', [{ saveSnapshot: { cloudProvider: 'gce', credentials: 'prod' } }]);
    expect(noApp.status).toBe(400);
    expect(JSON.stringify(noApp.body)).toContain('applicationName');

    const missing = await runTask('restoreSnapshot', { applicationName: 'shop', snapshotTimestamp: 12345 });
    expect(missing.status.failed).toBe(true);
    expect(JSON.stringify(missing.history)).toContain('Front50 has no snapshot of shop in prod with timestamp 12345');
  });
});
