import { InstanceGroupManagersClient, InstancesClient, RegionInstanceGroupManagersClient, ZoneOperationsClient } from '@google-cloud/compute';
import type { FakeGceServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenAuthClient } from '../src/accounts/gce-clients.js';
import { awaitOperation, GceOperationError, gceErrorMessage, gceErrorStatus } from '../src/operations.js';
import { PROJECT, startFakeGce, templateBody } from '../src/test-support/gce-fixture.js';
import { GceClientFactory } from '../src/accounts/gce-clients.js';
import { parseGceAccount } from '../src/accounts/gce-account.js';

/** The fake compute/v1 server driven by the real `@google-cloud/compute` SDK. */
let server: FakeGceServer;
const opts = (token = 'fake-token') => ({ apiEndpoint: '127.0.0.1', port: server.port, protocol: 'http', authClient: staticTokenAuthClient(token) }) as any;
const clientsFor = () =>
  new GceClientFactory({ authClient: () => staticTokenAuthClient('fake-token') }).forAccount(
    parseGceAccount({ name: 'prod', project: PROJECT, endpoint: server.endpoint }),
  );

beforeAll(async () => {
  server = await startFakeGce({ maxPageSize: 2 });
  server.cloud.put(PROJECT, 'global', 'instanceTemplates', templateBody('shop-v000-t'));
  server.cloud.put(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', {
    name: 'shop-v000',
    instanceTemplate: 'global/instanceTemplates/shop-v000-t',
    targetSize: 3,
  });
  server.cloud.put(PROJECT, 'regions/europe-west1', 'instanceGroupManagers', {
    name: 'shop-v001',
    instanceTemplate: 'global/instanceTemplates/shop-v000-t',
    targetSize: 3,
  });
});
afterAll(async () => {
  await server?.close();
});

describe('fake GCE server through @google-cloud/compute', () => {
  it('pages an aggregated list with pageToken and groups instances by zone', async () => {
    const before = server.requests.length;
    const byZone: Record<string, string[]> = {};
    for await (const [scope, list] of new InstancesClient(opts()).aggregatedListAsync({ project: PROJECT }, { autoPaginate: false })) {
      for (const i of list.instances ?? []) (byZone[scope] ??= []).push(i.name!);
    }
    expect(byZone['zones/us-central1-a']).toHaveLength(3);
    // The regional group spreads its three instances over europe-west1's three zones.
    expect(['zones/europe-west1-b', 'zones/europe-west1-c', 'zones/europe-west1-d'].map((z) => byZone[z]?.length)).toEqual([1, 1, 1]);
    const pages = server.requests.slice(before).filter((r) => r.path.includes('/aggregated/instances'));
    expect(pages).toHaveLength(3);
    expect(pages.slice(1).every((r) => r.path.includes('pageToken='))).toBe(true);
  });

  it('runs operations PENDING → RUNNING → DONE and applies the change only when DONE', async () => {
    const igms = new InstanceGroupManagersClient(opts());
    const [lro] = await igms.resize({ project: PROJECT, zone: 'us-central1-a', instanceGroupManager: 'shop-v000', size: 1 });
    const op = (lro as any).latestResponse;
    expect(op.status).toBe('PENDING');
    const zoneOps = new ZoneOperationsClient(opts());
    const [running] = await zoneOps.get({ project: PROJECT, zone: 'us-central1-a', operation: op.name });
    expect(running.status).toBe('RUNNING');
    expect(server.cloud.get(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', 'shop-v000')!.targetSize).toBe(3);
    const [done] = await zoneOps.get({ project: PROJECT, zone: 'us-central1-a', operation: op.name });
    expect(done.status).toBe('DONE');
    expect(server.cloud.get(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', 'shop-v000')!.targetSize).toBe(1);
    expect(server.cloud.list(PROJECT, 'zones/us-central1-a', 'instances')).toHaveLength(1);
  });

  it('reports a failed operation in its error, which awaitOperation throws with the cloud message', async () => {
    server.cloud.failNextOperation(
      { operationType: 'resize', targetName: 'shop-v001' },
      { code: 'QUOTA_EXCEEDED', message: "Quota 'CPUS' exceeded. Limit: 8.0 in region europe-west1.", httpStatus: 403 },
    );
    const started = await new RegionInstanceGroupManagersClient(opts()).resize({
      project: PROJECT,
      region: 'europe-west1',
      instanceGroupManager: 'shop-v001',
      size: 50,
    });
    const error = await awaitOperation(clientsFor(), started).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GceOperationError);
    expect((error as Error).message).toBe("Quota 'CPUS' exceeded. Limit: 8.0 in region europe-west1.");
    expect(server.cloud.get(PROJECT, 'regions/europe-west1', 'instanceGroupManagers', 'shop-v001')!.targetSize).toBe(3);

    // A template still used by a group cannot be deleted: also an operation error, from the fake's own rules.
    const { InstanceTemplatesClient } = await import('@google-cloud/compute');
    const del = await new InstanceTemplatesClient(opts()).delete({ project: PROJECT, instanceTemplate: 'shop-v000-t' });
    await expect(awaitOperation(clientsFor(), del)).rejects.toThrow(/is already being used by/);
  });

  it('answers 404, 409 and 401 as Google API errors', async () => {
    const igms = new InstanceGroupManagersClient(opts());
    const missing = await igms.get({ project: PROJECT, zone: 'us-central1-a', instanceGroupManager: 'nope' }).catch((e: unknown) => e);
    expect(gceErrorStatus(missing)).toBe(404);
    expect(gceErrorMessage(missing)).toMatch(/instanceGroupManagers\/nope' was not found/);
    const duplicate = await igms
      .insert({
        project: PROJECT,
        zone: 'us-central1-a',
        instanceGroupManagerResource: { name: 'shop-v000', instanceTemplate: 'global/instanceTemplates/shop-v000-t', targetSize: 1 },
      })
      .catch((e: unknown) => e);
    expect(gceErrorStatus(duplicate)).toBe(409);
    const unauthorised = await new InstancesClient(opts('wrong')).list({ project: PROJECT, zone: 'us-central1-a' }).catch((e: unknown) => e);
    expect(gceErrorStatus(unauthorised)).toBe(401);
  });
  it('abandons and deletes group members, shrinking the group, and keeps target pools in step', async () => {
    const c = server.cloud;
    c.put(PROJECT, 'regions/us-central1', 'targetPools', { name: 'pool' });
    c.put(PROJECT, 'zones/us-central1-b', 'instanceGroupManagers', {
      name: 'api-v000',
      instanceTemplate: 'global/instanceTemplates/shop-v000-t',
      targetSize: 3,
      targetPools: [c.link(PROJECT, 'regions/us-central1', 'targetPools', 'pool')],
    });
    const members = () =>
      c
        .list(PROJECT, 'zones/us-central1-b', 'instances')
        .filter((i) => i.metadata.items.some((m: any) => m.key === 'created-by' && m.value.endsWith('/api-v000')));
    const [a, b] = members().map((i) => i.name);
    expect(c.get(PROJECT, 'regions/us-central1', 'targetPools', 'pool')!.instances).toHaveLength(3);
    const clients = clientsFor();
    const igms = new InstanceGroupManagersClient(opts());
    const where = { project: PROJECT, zone: 'us-central1-b', instanceGroupManager: 'api-v000' };
    await awaitOperation(
      clients,
      await igms.abandonInstances({ ...where, instanceGroupManagersAbandonInstancesRequestResource: { instances: [`zones/us-central1-b/instances/${a}`] } }),
    );
    await awaitOperation(
      clients,
      await igms.deleteInstances({ ...where, instanceGroupManagersDeleteInstancesRequestResource: { instances: [`zones/us-central1-b/instances/${b}`] } }),
    );
    expect(c.get(PROJECT, 'zones/us-central1-b', 'instanceGroupManagers', 'api-v000')!.targetSize).toBe(1);
    expect(members()).toHaveLength(1);
    // The abandoned instance lives on outside the group (and leaves its pool); the deleted one is gone.
    expect(c.get(PROJECT, 'zones/us-central1-b', 'instances', a!)).toBeDefined();
    expect(c.get(PROJECT, 'zones/us-central1-b', 'instances', b!)).toBeUndefined();
    expect(c.get(PROJECT, 'regions/us-central1', 'targetPools', 'pool')!.instances).toEqual([members()[0]!.selfLink]);
    const notMember = await igms.deleteInstances({
      ...where,
      instanceGroupManagersDeleteInstancesRequestResource: { instances: [`zones/us-central1-b/instances/${a}`] },
    });
    await expect(awaitOperation(clients, notMember)).rejects.toThrow(`Instance '${a}' is not a member of instance group manager 'api-v000'`);
  });

  it('filters lists by name', async () => {
    const [found] = await new InstanceGroupManagersClient(opts()).list({ project: PROJECT, zone: 'us-central1-a', filter: 'name = "shop-v000"' });
    expect(found.map((g) => g.name)).toEqual(['shop-v000']);
  });
  it('keeps an autoscaled group within the autoscaler bounds and refuses to delete it while the autoscaler exists', async () => {
    const c = server.cloud;
    c.put(PROJECT, 'zones/us-central1-c', 'instanceGroupManagers', {
      name: 'auto-v000',
      instanceTemplate: 'global/instanceTemplates/shop-v000-t',
      targetSize: 1,
    });
    c.put(PROJECT, 'zones/us-central1-c', 'autoscalers', {
      name: 'auto-v000',
      target: 'zones/us-central1-c/instanceGroupManagers/auto-v000',
      autoscalingPolicy: { minNumReplicas: 2, maxNumReplicas: 3 },
    });
    expect(c.get(PROJECT, 'zones/us-central1-c', 'instanceGroupManagers', 'auto-v000')!.targetSize).toBe(2);
    const clients = clientsFor();
    const igms = new InstanceGroupManagersClient(opts());
    await awaitOperation(clients, await igms.resize({ project: PROJECT, zone: 'us-central1-c', instanceGroupManager: 'auto-v000', size: 10 }));
    expect(c.get(PROJECT, 'zones/us-central1-c', 'instanceGroupManagers', 'auto-v000')!.targetSize).toBe(3);
    const deletion = await igms.delete({ project: PROJECT, zone: 'us-central1-c', instanceGroupManager: 'auto-v000' });
    await expect(awaitOperation(clients, deletion)).rejects.toThrow(/is already being used by .*autoscalers\/auto-v000/);
  });
});
