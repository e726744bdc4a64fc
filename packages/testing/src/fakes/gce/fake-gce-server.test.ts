import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGceServer } from './fake-gce-server.js';

/** The fake over plain HTTP (the GCE provider's tests drive it with the real SDK). */
let server: FakeGceServer;
const P = '/compute/v1/projects/p';

async function call(method: string, path: string, body?: unknown, token = 't'): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.endpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  server = await FakeGceServer.start({ projects: ['p'], token: 't', maxPageSize: 2, regions: { 'us-east1': ['us-east1-b', 'us-east1-c'] } });
});
afterAll(async () => {
  await server?.close();
});

describe('FakeGceServer', () => {
  it('creates through operations that change the cloud only when DONE, and reconciles the group to its size', async () => {
    const template = await call('POST', `${P}/global/instanceTemplates`, {
      name: 'web-t',
      properties: { machineType: 'e2-small', metadata: { items: [{ key: 'a', value: 'b' }] } },
    });
    expect(template.body).toMatchObject({ kind: 'compute#operation', status: 'PENDING', operationType: 'insert' });
    expect((await call('POST', `${P}/global/operations/${template.body.name}/wait`)).body.status).toBe('DONE');

    const insert = await call('POST', `${P}/regions/us-east1/instanceGroupManagers`, {
      name: 'web-v000',
      instanceTemplate: 'global/instanceTemplates/web-t',
      targetSize: 3,
    });
    const op = `${P}/regions/us-east1/operations/${insert.body.name}`;
    expect((await call('GET', op)).body.status).toBe('RUNNING');
    expect((await call('GET', `${P}/regions/us-east1/instanceGroupManagers/web-v000`)).status).toBe(404);
    expect((await call('GET', op)).body.status).toBe('DONE');
    const igm = (await call('GET', `${P}/regions/us-east1/instanceGroupManagers/web-v000`)).body;
    expect(igm).toMatchObject({
      name: 'web-v000',
      targetSize: 3,
      baseInstanceName: 'web-v000',
      instanceGroup: expect.stringMatching(/regions\/us-east1\/instanceGroups\/web-v000$/),
    });

    const page1 = (await call('GET', `${P}/aggregated/instances`)).body;
    const page2 = (await call('GET', `${P}/aggregated/instances?pageToken=${page1.nextPageToken}`)).body;
    expect(page2.nextPageToken).toBeUndefined();
    const instances = [page1, page2].flatMap((page) => Object.values(page.items).flatMap((scoped: any) => scoped.instances ?? []));
    expect(instances).toHaveLength(3);
    expect(page1.items['zones/us-east1-b'] ?? page1.items['zones/us-east1-c']).toBeDefined();
    const metadata = instances[0].metadata.items.map((m: { key: string }) => m.key);
    expect(metadata).toEqual(['a', 'instance-template', 'created-by']);
    // As real GCE writes it: a relative path with the project number.
    expect(instances[0].metadata.items[2].value).toMatch(/^projects\/\d{12}\/regions\/us-east1\/instanceGroupManagers\/web-v000$/);
  });

  it('reports failures in the operation and errors in the Google shape', async () => {
    server.cloud.failNextOperation({ operationType: 'insert', targetName: 'fw' }, { code: 'QUOTA_EXCEEDED', message: 'Quota exceeded', httpStatus: 403 });
    const insert = await call('POST', `${P}/global/firewalls`, { name: 'fw', allowed: [{ IPProtocol: 'tcp' }] });
    const done = (await call('POST', `${P}/global/operations/${insert.body.name}/wait`)).body;
    expect(done).toMatchObject({ status: 'DONE', error: { errors: [{ code: 'QUOTA_EXCEEDED', message: 'Quota exceeded' }] }, httpErrorStatusCode: 403 });
    expect(server.cloud.get('p', 'global', 'firewalls', 'fw')).toBeUndefined();

    const missingTemplate = await call('POST', `${P}/zones/us-east1-b/instanceGroupManagers`, {
      name: 'x-v000',
      instanceTemplate: 'global/instanceTemplates/nope',
      targetSize: 1,
    });
    const failed = (await call('POST', `${P}/zones/us-east1-b/operations/${missingTemplate.body.name}/wait`)).body;
    expect(failed.error.errors[0]).toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: expect.stringContaining('instanceTemplates/nope') });

    expect(await call('GET', `${P}/zones/us-east1-b/instances/nope`)).toMatchObject({
      status: 404,
      body: { error: { code: 404, errors: [{ reason: 'notFound' }] } },
    });
    expect((await call('POST', `${P}/global/firewalls`, { name: 'Bad Name' })).status).toBe(400);
    expect((await call('GET', `${P}/zones/mars-1a/instances`)).status).toBe(404);
    expect((await call('GET', `${P}/global/firewalls`, undefined, 'wrong')).status).toBe(401);
    expect((await call('GET', '/compute/v1/projects/other/global/firewalls')).status).toBe(404);
  });
});
