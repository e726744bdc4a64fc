import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubernetesServer } from '@stratus/testing';
import { KubernetesClient } from '../src/kubernetes-client.js';
import { BUILT_IN_KINDS, NAMESPACE_KIND } from '../src/kubernetes-kind.js';
import { KubernetesApiError } from '../src/kubernetes-api-error.js';

const kind = (k: string) => BUILT_IN_KINDS.find((x) => x.kind === k)!;

describe('fake API server driven by @kubernetes/client-node', () => {
  let server: FakeKubernetesServer;
  let client: KubernetesClient;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start({ historyLimit: 50 });
    client = KubernetesClient.fromKubeconfig({ contents: server.kubeconfigYaml() }, { pageSize: 2 });
  });
  afterAll(() => server.close());

  it('creates, reads, lists in pages and answers 404/409 as Status objects', async () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: name } });
    for (const name of ['c1', 'c2', 'c3', 'c4', 'c5']) await client.create(kind('ConfigMap'), cm(name));
    const listed = await client.list(kind('ConfigMap'), 'default');
    expect(listed.items.map((i) => i.metadata?.name)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    expect(Number(listed.resourceVersion)).toBeGreaterThan(0);
    expect(server.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/configmaps?')).length).toBe(3);
    await expect(client.create(kind('ConfigMap'), cm('c1'))).rejects.toMatchObject({ code: 409, reason: 'AlreadyExists' });
    expect(await client.get(kind('ConfigMap'), 'default', 'missing')).toBeUndefined();
    await expect(client.delete(kind('ConfigMap'), 'default', 'missing')).rejects.toBeInstanceOf(KubernetesApiError);
    const ns = await client.list(NAMESPACE_KIND);
    expect(ns.items.map((i) => i.metadata?.name)).toContain('default');
  });

  it('reuses connections across requests (one keep-alive agent per cluster)', async () => {
    const fresh = KubernetesClient.fromKubeconfig({ contents: server.kubeconfigYaml() });
    const before = server.connectionCount;
    for (let i = 0; i < 10; i++) await fresh.get(kind('ConfigMap'), 'default', 'c1');
    // undici frees a connection a tick after the body is read, so a request sent straight after the
    // previous one may open a second; the client's own dispatcher would open one per request (10).
    expect(server.connectionCount - before).toBeLessThanOrEqual(2);
  });

  it('merge-patches, JSON-patches and rejects stale replaces with 409', async () => {
    await client.patch(kind('ConfigMap'), 'default', 'c1', { data: { b: '2' } }, 'merge');
    const patched = await client.patch(kind('ConfigMap'), 'default', 'c1', [{ op: 'replace', path: '/data/a', value: 'x' }], 'json');
    expect(patched.data).toEqual({ a: 'x', b: '2' });
    const stale = { ...patched, metadata: { ...patched.metadata, resourceVersion: '1' } };
    await expect(client.replace(kind('ConfigMap'), stale)).rejects.toMatchObject({ code: 409 });
    await expect(client.patch(kind('ConfigMap'), 'default', 'c1', [{ op: 'remove', path: '/nope' }], 'json')).rejects.toMatchObject({ code: 422 });
  });

  it('rolls a Deployment out through ReplicaSets and Pods and cascades deletes', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
      },
    };
    await client.create(kind('Deployment'), deployment);
    const rs = await client.list(kind('ReplicaSet'), 'default');
    expect(rs.items).toHaveLength(1);
    expect(rs.items[0]!.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect((await client.list(kind('Pod'), 'default')).items).toHaveLength(2);
    const live = await client.get(kind('Deployment'), 'default', 'web');
    expect(live?.status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 1 });

    await client.patch(kind('Deployment'), 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } }, 'strategic');
    const after = await client.list(kind('ReplicaSet'), 'default');
    expect(after.items).toHaveLength(2);
    expect(after.items.map((r) => r.spec.replicas).sort()).toEqual([0, 2]);

    await client.delete(kind('Deployment'), 'default', 'web');
    expect((await client.list(kind('ReplicaSet'), 'default')).items).toHaveLength(0);
    expect((await client.list(kind('Pod'), 'default')).items).toHaveLength(0);
  });

  it('streams watch events, resumes from a resourceVersion and answers 410 once history is gone', async () => {
    const start = (await client.list(kind('Secret'), 'default')).resourceVersion;
    const seen: string[] = [];
    const done: unknown[] = [];
    const controller = await client.watch(
      kind('Secret'),
      'default',
      start,
      (type, o) => seen.push(`${type}:${o.metadata?.name}`),
      (e) => done.push(e),
    );
    server.cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: 'default' }, data: {} });
    await expect.poll(() => seen).toEqual(['ADDED:s1']);
    controller.abort();

    const resumed: string[] = [];
    const c2 = await client.watch(
      kind('Secret'),
      'default',
      start,
      (type, o) => resumed.push(`${type}:${o.metadata?.name}`),
      () => {},
    );
    await expect.poll(() => resumed).toEqual(['ADDED:s1']);
    c2.abort();

    server.cluster.compactHistory();
    const errors: any[] = [];
    await client.watch(
      kind('Secret'),
      'default',
      start,
      (type, o) => type === 'ERROR' && errors.push(o),
      () => {},
    );
    await expect.poll(() => errors.map((e) => e.code)).toEqual([410]);
  });
});
