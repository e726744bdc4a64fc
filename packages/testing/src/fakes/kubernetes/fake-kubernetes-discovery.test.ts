import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customResourceDefinition } from './crd-types.js';
import { FakeKubernetesServer } from './fake-kubernetes-server.js';
import { FAKE_RESOURCE_TYPES } from './resource-types.js';

describe('FakeKubernetesServer: what a real cluster serves and forbids', () => {
  let server: FakeKubernetesServer;
  beforeAll(async () => {
    // Ingress only on the legacy groups, as an old cluster serves it.
    const types = [
      ...FAKE_RESOURCE_TYPES.filter((t) => t.kind !== 'Ingress'),
      { group: 'extensions', version: 'v1beta1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
      { group: 'networking.k8s.io', version: 'v1beta1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
    ];
    server = await FakeKubernetesServer.start({ types, namespaces: ['default', 'team'] });
  });
  afterAll(() => server.close());

  const get = (path: string) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { ca: server.certificate.cert, headers: { authorization: 'Bearer fake-token' } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves only the configured group versions', async () => {
    const groups = (await get('/apis')).body.groups as { name: string; versions: { version: string }[] }[];
    expect(groups.find((g) => g.name === 'networking.k8s.io')!.versions.map((v) => v.version)).toEqual(['v1beta1']);
    expect(groups.find((g) => g.name === 'extensions')!.versions.map((v) => v.version)).toEqual(['v1beta1']);
    expect((await get('/apis/networking.k8s.io/v1/namespaces/default/ingresses')).status).toBe(404);
    expect((await get('/apis/networking.k8s.io/v1')).status).toBe(404);
    expect((await get('/apis/extensions/v1beta1/namespaces/default/ingresses')).status).toBe(200);
  });

  it('answers 403 Forbidden for what the RBAC rules deny, in one namespace or all', async () => {
    server.rbac.forbid({ resource: 'secrets', namespace: 'team' });
    const denied = await get('/api/v1/namespaces/team/secrets');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(denied.body.message).toContain('cannot list resource "secrets" in API group "" in the namespace "team"');
    expect((await get('/api/v1/namespaces/default/secrets')).status).toBe(200);
    server.rbac.allow('secrets');
    expect((await get('/api/v1/namespaces/team/secrets')).status).toBe(200);
  });

  it('serves a custom resource once its CRD exists and stops when the CRD is deleted', async () => {
    const path = '/apis/acme.io/v1/namespaces/default/widgets';
    expect((await get(path)).status).toBe(404);
    server.cluster.apply(customResourceDefinition({ group: 'acme.io', kind: 'Widget', plural: 'widgets' }));
    expect((await get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).body.items.map((c: any) => c.metadata.name)).toEqual(['widgets.acme.io']);
    expect((await get('/apis')).body.groups.map((g: { name: string }) => g.name)).toContain('acme.io');
    expect((await get('/apis/acme.io/v1')).body.resources).toEqual([expect.objectContaining({ kind: 'Widget', name: 'widgets', namespaced: true })]);
    server.cluster.apply({ apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: {} });
    expect((await get(path)).body.items.map((w: any) => w.metadata.name)).toEqual(['w1']);
    server.cluster.deleteObject('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.acme.io');
    expect((await get(path)).status).toBe(404);
    expect((await get('/apis')).body.groups.map((g: { name: string }) => g.name)).not.toContain('acme.io');
  });
});
