import { OperationValidationError } from '@stratus/core';
import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../src/test-support/harness.js';

describe('an account restricted to namespaces, Spinnaker-managed resources and a custom resource kind', () => {
  let server: FakeKubernetesServer;
  let h: Harness;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start({ namespaces: ['default', 'team-a', 'team-b'] });
    h = await startHarness([
      {
        name: 'team-a',
        kubeconfigContents: server.kubeconfigYaml(),
        namespaces: ['team-a'],
        onlySpinnakerManaged: true,
        kinds: ['deployment', 'replicaSet', 'pod', 'configMap', 'CronTab.stable.example.com'],
        customResources: [{ kubernetesKind: 'CronTab.stable.example.com', spinnakerKind: 'unclassified' }],
        cacheIntervalSeconds: 600,
      },
    ]);
    await eventually(() => server.openWatchCount === 5, 5_000);
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
  });

  it('watches each kind in its namespace only', () => {
    const watched = server.requests.filter((r) => r.watch).map((r) => r.path.split('?')[0]);
    expect(watched.sort()).toEqual([
      '/api/v1/namespaces/team-a/configmaps',
      '/api/v1/namespaces/team-a/pods',
      '/apis/apps/v1/namespaces/team-a/deployments',
      '/apis/apps/v1/namespaces/team-a/replicasets',
      '/apis/stable.example.com/v1/namespaces/team-a/crontabs',
    ]);
  });

  it('deploys and caches a custom resource and versioned config, skipping unmanaged and foreign objects', async () => {
    const task = await h.run([
      {
        deployManifest: {
          account: 'team-a',
          moniker: { app: 'batch' },
          manifests: [
            { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'nightly', namespace: 'team-a' }, spec: { cronSpec: '0 0 * * *' } },
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { a: '1' } },
          ],
        },
      },
    ]);
    const result = task.resultObjects[0] as any;
    expect(result.manifestNamesByNamespace['team-a']).toEqual(['configMap settings-v000', 'crontab.stable.example.com nightly']);
    expect(result.createdArtifacts.find((a: any) => a.name === 'nightly')).toMatchObject({ type: 'kubernetes/crontab.stable.example.com', customKind: true });
    await eventually(() => h.cache.get('crontab.stable.example.com', 'kubernetes.v2:infrastructure:crontab.stable.example.com:team-a:team-a:nightly'));
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:team-a:team-a:settings-v000'));

    server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unmanaged', namespace: 'team-a' }, data: {} });
    server.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'managed-elsewhere', namespace: 'team-b', labels: { 'app.kubernetes.io/managed-by': 'spinnaker' } },
      data: {},
    });
    server.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'marker', namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'spinnaker' } },
      data: {},
    });
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:team-a:team-a:marker'));
    const ids = await h.cache.getIdentifiers('configMap');
    expect(ids.sort()).toEqual([
      'kubernetes.v2:infrastructure:configMap:team-a:team-a:marker',
      'kubernetes.v2:infrastructure:configMap:team-a:team-a:settings-v000',
    ]);
  });

  it('patches a custom resource with a merge patch when a strategic one is asked for', async () => {
    await h.run([
      { patchManifest: { account: 'team-a', manifestName: 'crontab.stable.example.com nightly', location: 'team-a', patchBody: { spec: { image: 'job:2' } } } },
    ]);
    const patch = server.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(patch.path).toBe('/apis/stable.example.com/v1/namespaces/team-a/crontabs/nightly');
    expect(patch.contentType).toBe('application/merge-patch+json');
    const live = await h.manifests.getManifest('team-a', 'team-a', 'CronTab.stable.example.com nightly');
    expect(live!.manifest.spec).toEqual({ cronSpec: '0 0 * * *', image: 'job:2' });
  });

  it('binds a versioned ConfigMap into the workload deployed with it', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker', namespace: 'team-a' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'worker' } },
        template: {
          metadata: { labels: { app: 'worker' } },
          spec: { containers: [{ name: 'w', image: 'worker:1', envFrom: [{ configMapRef: { name: 'settings' } }] }] },
        },
      },
    };
    const changed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' }, data: { a: '2' } };
    const task = await h.run([{ deployManifest: { account: 'team-a', moniker: { app: 'batch' }, manifests: [deployment, changed] } }]);
    const result = task.resultObjects[0] as any;
    expect(result.boundArtifacts).toEqual([
      {
        type: 'kubernetes/configMap',
        name: 'settings',
        reference: 'settings-v001',
        version: 'v001',
        location: 'team-a',
        customKind: false,
        metadata: { account: 'team-a' },
      },
    ]);
    const live = await h.manifests.getManifest('team-a', 'team-a', 'deployment worker');
    expect(live!.manifest.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe('settings-v001');
    expect(live!.artifacts).toEqual(
      expect.arrayContaining([{ type: 'kubernetes/configMap', name: 'settings-v001', reference: 'settings-v001', location: 'team-a' }]),
    );
  });

  it('rejects manifests for namespaces the account does not cover, naming the field', async () => {
    const error = await h
      .submit([
        {
          deployManifest: {
            account: 'team-a',
            moniker: { app: 'batch' },
            manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'team-b' } }],
          },
        },
      ])
      .catch((e) => e);
    expect(error).toBeInstanceOf(OperationValidationError);
    expect((error as OperationValidationError).fieldErrors.map((f) => f.field)).toEqual(['manifests[0].metadata.namespace']);
    expect(await h.manifests.getManifest('team-a', 'team-b', 'configMap managed-elsewhere')).toBeUndefined();
  });

  it('serves manifests over the provider routes only to callers with READ on the account', async () => {
    const route = h.routes.all().find((r) => r.route.path === '/manifests/{account}/{location}/{name}')!.route;
    const caller = (readable: boolean) => ({ canReadAccount: () => readable, canWriteAccount: () => false });
    const ok = await route.handle({
      params: { account: 'team-a', location: 'team-a', name: 'configMap marker' },
      query: {},
      body: undefined,
      caller: caller(true),
    });
    expect(ok.body).toMatchObject({ name: 'configMap marker', location: 'team-a' });
    await expect(
      route.handle({ params: { account: 'team-a', location: 'team-a', name: 'configMap marker' }, query: {}, body: undefined, caller: caller(false) }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      route.handle({ params: { account: 'team-a', location: 'team-a', name: 'configMap nope' }, query: {}, body: undefined, caller: caller(true) }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      route.handle({ params: { account: 'other', location: 'team-a', name: 'configMap nope' }, query: {}, body: undefined, caller: caller(true) }),
    ).rejects.toMatchObject({ status: 404 });
    expect(h.routes.all().map((r) => `${r.route.method} ${r.route.path}`)).toEqual([
      'get /manifests/{account}/{location}/{name}',
      'get /manifests/{account}/{name}',
      'get /manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}',
      'get /manifests/{account}/{location}/{kind}/cluster/{app}/{cluster}/dynamic/{criteria}',
      'get /applications/{application}/jobs/{account}/{location}/{id}',
      'delete /applications/{application}/jobs/{account}/{location}/{id}',
      'get /applications/{application}/jobs/{account}/{location}/{id}/{fileName}',
      'get /applications/{application}/kubernetes/pods/{account}/{namespace}/{podName}/{fileName}',
      'get /applications/{application}/serverGroupManagers',
      'get /applications/{application}/rawResources',
      'get /kubernetes/instances/{account}/{region}/{instanceId}/console',
    ]);
  });
});
