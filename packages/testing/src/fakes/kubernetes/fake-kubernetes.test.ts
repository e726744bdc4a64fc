import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJsonPatch, JsonPatchError } from './apply-json-patch.js';
import { applyMergePatch } from './apply-merge-patch.js';
import { FakeKubernetesCluster } from './fake-kubernetes-cluster.js';
import { FakeKubernetesServer } from './fake-kubernetes-server.js';
import { parseFieldSelector, parseLabelSelector } from './label-selector.js';

describe('patch helpers and selectors', () => {
  it('applies RFC 7386 merge patches', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 }, f: [1] })).toEqual({ a: 1, b: { d: 3, e: 4 }, f: [1] });
  });

  it('applies RFC 6902 JSON patches and reports bad ones', () => {
    const doc = { spec: { list: [1, 2], name: 'x' } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/list/-', value: 3 },
        { op: 'replace', path: '/spec/name', value: 'y' },
        { op: 'remove', path: '/spec/list/0' },
      ]),
    ).toEqual({ spec: { list: [2, 3], name: 'y' } });
    expect(
      applyJsonPatch(doc, [
        { op: 'copy', from: '/spec/name', path: '/spec/copy' },
        { op: 'test', path: '/spec/copy', value: 'x' },
      ]),
    ).toMatchObject({ spec: { copy: 'x' } });
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/missing' }])).toThrow(JsonPatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/name', value: 'z' }])).toThrow(/test failed/);
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(/array/);
    expect(doc).toEqual({ spec: { list: [1, 2], name: 'x' } });
  });

  it('evaluates label selectors', () => {
    const labels = { app: 'web', tier: 'front' };
    expect(parseLabelSelector('app=web,tier!=back')(labels)).toBe(true);
    expect(parseLabelSelector('app in (api,web),!canary')(labels)).toBe(true);
    expect(parseLabelSelector('tier notin (front)')(labels)).toBe(false);
    expect(parseLabelSelector('missing')(labels)).toBe(false);
    expect(parseLabelSelector(undefined)(labels)).toBe(true);
  });

  it('evaluates field selectors on dotted paths', () => {
    const event = { involvedObject: { kind: 'Deployment', name: 'web' }, metadata: { namespace: 'default' } };
    expect(parseFieldSelector('involvedObject.name=web,involvedObject.kind==Deployment')(event)).toBe(true);
    expect(parseFieldSelector('metadata.namespace!=default')(event)).toBe(false);
    expect(() => parseFieldSelector('nonsense')).toThrow(/invalid field selector/);
  });
});

describe('fake cluster semantics', () => {
  it('keeps a bounded history: resuming from a dropped resourceVersion is 410 Gone', () => {
    const cluster = new FakeKubernetesCluster({ historyLimit: 3 });
    const start = cluster.resourceVersion;
    for (let i = 0; i < 5; i++) cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } });
    expect(() => cluster.eventsSince(start)).toThrow(/too old resource version/);
    expect(cluster.eventsSince(cluster.resourceVersion - 2)).toHaveLength(2);
  });

  it('orphans or deletes dependents by propagation policy, and rolls Deployments by template', () => {
    const cluster = new FakeKubernetesCluster();
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'a' }] } },
      },
    };
    cluster.apply(deployment);
    const rsType = cluster.typeByKind('apps/v1', 'ReplicaSet');
    const podType = cluster.typeByKind('v1', 'Pod');
    expect(cluster.list(podType)).toHaveLength(2);
    cluster.patchObject('apps/v1', 'Deployment', 'default', 'web', { spec: { paused: true, template: { spec: { containers: [{ name: 'c', image: 'b' }] } } } });
    expect(cluster.list(rsType)).toHaveLength(1); // paused: no new ReplicaSet
    cluster.patchObject('apps/v1', 'Deployment', 'default', 'web', { spec: { paused: false } });
    expect(
      cluster
        .list(rsType)
        .map((rs) => [rs.metadata!.annotations['deployment.kubernetes.io/revision'], rs.spec.replicas])
        .sort(),
    ).toEqual([
      ['1', 0],
      ['2', 2],
    ]);
    cluster.deleteObject('apps/v1', 'Deployment', 'default', 'web', 'Orphan');
    expect(cluster.list(rsType).every((rs) => rs.metadata!.ownerReferences === undefined)).toBe(true);
    expect(cluster.list(podType)).toHaveLength(2);
  });
});

describe('FakeKubernetesServer over HTTPS', () => {
  let server: FakeKubernetesServer;
  beforeAll(async () => {
    server = await FakeKubernetesServer.start({ token: 'secret' });
  });
  afterAll(() => server.close());

  const get = (path: string, token = 'secret') =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(`${server.url}${path}`, { ca: server.certificate.cert, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves discovery, refuses bad tokens and pages lists with continue tokens', async () => {
    expect((await get('/api')).body.versions).toEqual(['v1']);
    expect((await get('/apis')).body.groups.map((g: { name: string }) => g.name)).toEqual([
      'apps',
      'batch',
      'networking.k8s.io',
      'stable.example.com',
      'apiextensions.k8s.io',
    ]);
    expect((await get('/apis/apps/v1')).body.resources.map((r: { kind: string }) => r.kind)).toEqual(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);
    expect((await get('/version', 'wrong')).status).toBe(401);
    for (const name of ['a', 'b', 'c']) server.cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name } });
    const first = await get('/api/v1/namespaces/default/secrets?limit=2');
    expect(first.body.items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
    const second = await get(`/api/v1/namespaces/default/secrets?limit=2&continue=${first.body.metadata.continue}`);
    expect(second.body.items.map((i: any) => i.metadata.name)).toEqual(['c']);
    expect(second.body.metadata.continue).toBeUndefined();
    // Once the history no longer holds what happened after the token's revision, the list must restart.
    server.cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'd' } });
    server.cluster.compactHistory();
    expect((await get(`/api/v1/namespaces/default/secrets?limit=2&continue=${first.body.metadata.continue}`)).status).toBe(410);
    expect((await get('/api/v1/namespaces/nope/secrets/x')).status).toBe(404);
  });
});
