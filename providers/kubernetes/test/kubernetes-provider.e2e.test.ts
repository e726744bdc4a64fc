import { OPEN_ACCESS, OperationValidationError } from '@stratus/core';
import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, eventually, startHarness, unreachableKubeconfig, type Harness } from '../src/test-support/harness.js';

const APP = 'shop';

const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
};

describe('Kubernetes provider against the fake API server (real client, operations pipeline, watch-fed cache)', () => {
  let server: FakeKubernetesServer;
  let h: Harness;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
    const downPort = await closedPort();
    h = await startHarness([
      { name: 'k8s-main', kubeconfigContents: server.kubeconfigYaml(), cacheIntervalSeconds: 600 },
      { name: 'k8s-down', kubeconfigContents: unreachableKubeconfig(downPort), cacheIntervalSeconds: 600 },
    ]);
    // The first relist runs when the scheduler starts; watches open after it.
    await eventually(() => h.runtime.health().find((a) => a.account === 'k8s-main')?.openWatches === 9 && server.openWatchCount === 9, 5_000);
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
  });

  const serverGroupsOf = async (app = APP) => h.serverGroups.listForApplication(OPEN_ACCESS, app, { expand: false });

  it('reports the unreachable account in health without blocking the reachable one', async () => {
    expect(h.report.problems).toEqual([]);
    const down = await eventually(() => h.runtime.health().find((a) => a.account === 'k8s-down' && a.reachable === false), 5_000);
    expect(down.lastError).toMatch(/ECONNREFUSED/);
    expect(down.watching).toBe(false);
    const main = h.runtime.health().find((a) => a.account === 'k8s-main')!;
    expect(main.reachable).toBe(true);
    expect(main.openWatches).toBe(9); // one cluster-wide stream per cached kind
  });

  it('deploys a Deployment and a Service as Orca does and sees them in the cache through the watch', async () => {
    const task = await h.run([
      {
        deployManifest: {
          account: 'k8s-main',
          cloudProvider: 'kubernetes',
          moniker: { app: APP },
          manifests: [deployment('nginx:1'), service],
          source: 'text',
        },
      },
    ]);
    const result = task.resultObjects[0] as Record<string, any>;
    expect(result.manifestNamesByNamespace).toEqual({ default: ['service web', 'deployment web'] });
    expect(result.createdArtifacts.map((a: any) => `${a.type} ${a.reference}`)).toEqual(['kubernetes/service web', 'kubernetes/deployment web']);
    expect(result.manifests[1].metadata.annotations['moniker.spinnaker.io/application']).toBe(APP);
    expect(task.history.map((l) => l.status)).toContain('Deploying manifest deployment web to default');
    expect(task.outputs.map((o) => o.stdOut)).toEqual(['service/web created', 'deployment.apps/web created']);

    // No on-demand call: the watch delivers the Deployment, its ReplicaSet and Pods and the Service.
    const groups = await eventually(async () => {
      const list = await serverGroupsOf();
      return list.length === 1 && (list[0]!.instances as unknown[]).length === 2 && list;
    });
    expect(groups[0]).toMatchObject({
      account: 'k8s-main',
      region: 'default',
      cloudProvider: 'kubernetes',
      cluster: 'deployment web',
      loadBalancers: ['service web'],
    });
    expect(String(groups[0]!.name)).toMatch(/^replicaSet web-/);
    const lbs = await h.loadBalancers.forApplication(OPEN_ACCESS, APP);
    expect(lbs.map((lb) => lb.name)).toEqual(['service web']);
    expect(lbs[0]!.serverGroups.map((sg) => sg.name)).toEqual([groups[0]!.name]);
    const apps = await h.applications.list(OPEN_ACCESS, { expand: true, restricted: false });
    expect(apps.find((a) => a.name === APP)?.clusterNames).toEqual({ 'k8s-main': ['deployment web'] });
    const pod = (groups[0]!.instances as { name: string }[])[0]!;
    expect(await h.instances.get(OPEN_ACCESS, 'k8s-main', 'default', pod.name)).toMatchObject({ healthState: 'Up', cloudProvider: 'kubernetes' });
  });

  it('reads the live manifest with status, events, moniker and artifacts', async () => {
    const view = (await h.manifests.getManifest('k8s-main', 'default', 'deployment web'))!;
    expect(view.status).toEqual({ stable: { state: true }, paused: { state: false }, available: { state: true }, failed: { state: false } });
    expect(view.moniker).toMatchObject({ app: APP, cluster: 'deployment web' });
    expect(view.artifacts).toEqual([{ type: 'docker/image', name: 'nginx', reference: 'nginx:1' }]);
    expect(view.events.map((e) => e.reason)).toContain('ScalingReplicaSet');
    expect(view.events.every((e) => e.involvedObject.name === 'web' && e.involvedObject.kind === 'Deployment')).toBe(true);
    const eventQuery = server.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/events?')).at(-1)!;
    expect(decodeURIComponent(eventQuery.path)).toContain('fieldSelector=involvedObject.name=web,involvedObject.kind=Deployment');
    expect(await h.manifests.getManifest('k8s-main', 'default', 'deployment nope')).toBeUndefined();
  });

  it('scales, patches and undoes the rollout, each change reaching the cache through the watch', async () => {
    await h.run([{ scaleManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default', replicas: 3 } }]);
    await eventually(async () => {
      const [group] = await serverGroupsOf();
      return (group?.capacity as { desired: number })?.desired === 3 && (group!.instances as unknown[]).length === 3;
    });

    await h.run([
      {
        patchManifest: {
          account: 'k8s-main',
          manifestName: 'deployment web',
          location: 'default',
          patchBody: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } } },
          options: { mergeStrategy: 'strategic' },
        },
      },
    ]);
    expect(server.requests.filter((r) => r.method === 'PATCH').at(-1)!.contentType).toBe('application/strategic-merge-patch+json');
    const rolled = await eventually(async () => {
      const list = await serverGroupsOf();
      return list.length === 2 && list;
    });
    const newest = await h.manifests.getDynamicTarget('k8s-main', 'default', 'replicaSet', APP, 'deployment web', 'newest');
    const live = await h.manifests.getManifest('k8s-main', 'default', `replicaSet ${newest!.name}`);
    expect(live!.manifest.spec.template.spec.containers[0].image).toBe('nginx:2');
    expect(rolled.map((g) => (g.capacity as { desired: number }).desired).sort()).toEqual([0, 3]);

    await h.run([{ undoRolloutManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default', numRevisionsBack: 1 } }]);
    const back = (await h.manifests.getManifest('k8s-main', 'default', 'deployment web'))!;
    expect(back.manifest.spec.template.spec.containers[0].image).toBe('nginx:1');
    expect(back.manifest.metadata?.annotations['deployment.kubernetes.io/revision']).toBe('3');
    // The original ReplicaSet serves again: the cache shows it with all replicas.
    await eventually(async () => {
      const list = await serverGroupsOf();
      const serving = list.find((g) => (g.capacity as { desired: number }).desired === 3);
      return serving && serving.name !== `replicaSet ${newest!.name}`;
    });
  });

  it('pauses, resumes and restarts the rollout', async () => {
    await h.run([{ pauseRolloutManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default' } }]);
    expect((await h.manifests.getManifest('k8s-main', 'default', 'deployment web'))!.status.paused).toEqual({ state: true, message: 'Deployment is paused' });
    await h.run([{ resumeRolloutManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default' } }]);
    await h.run([{ rollingRestartManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default' } }]);
    const view = (await h.manifests.getManifest('k8s-main', 'default', 'deployment web'))!;
    expect(view.status.paused.state).toBe(false);
    expect(view.manifest.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeDefined();
    await eventually(async () => (await serverGroupsOf()).length === 3);
  });

  it('disables and enables a versioned ReplicaSet through its Service selector', async () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api', namespace: 'default', annotations: { 'traffic.spinnaker.io/load-balancers': '["service api"]' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api', 'lb-api': 'true' } }, spec: { containers: [{ name: 'api', image: 'api:1' }] } },
      },
    };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'default' }, spec: { selector: { 'lb-api': 'true' } } };
    const task = await h.run([{ deployManifest: { account: 'k8s-main', moniker: { app: 'api', cluster: 'replicaSet api' }, manifests: [rs, svc] } }]);
    expect((task.resultObjects[0] as any).manifestNamesByNamespace.default).toEqual(['service api', 'replicaSet api-v000']);
    const group = async () => (await serverGroupsOf('api')).find((g) => g.name === 'replicaSet api-v000');
    await eventually(async () => (await group())?.isDisabled === false && ((await group())!.instances as unknown[]).length === 1);

    await h.run([{ disableManifest: { account: 'k8s-main', manifestName: 'replicaSet api-v000', location: 'default' } }]);
    await eventually(async () => (await group())?.isDisabled === true);
    await h.run([{ enableManifest: { account: 'k8s-main', manifestName: 'replicaSet api-v000', location: 'default' } }]);
    await eventually(async () => (await group())?.isDisabled === false);

    // Deploying the same ReplicaSet again reuses v000; a changed one becomes v001.
    const again = await h.run([{ deployManifest: { account: 'k8s-main', moniker: { app: 'api', cluster: 'replicaSet api' }, manifests: [rs] } }]);
    expect((again.resultObjects[0] as any).manifestNamesByNamespace.default).toEqual(['replicaSet api-v000']);
    const changed = structuredClone(rs);
    changed.spec.template.spec.containers[0]!.image = 'api:2';
    const next = await h.run([{ deployManifest: { account: 'k8s-main', moniker: { app: 'api', cluster: 'replicaSet api' }, manifests: [changed] } }]);
    expect((next.resultObjects[0] as any).createdArtifacts[0]).toMatchObject({
      type: 'kubernetes/replicaSet',
      name: 'api',
      reference: 'api-v001',
      version: 'v001',
    });
    expect(await h.manifests.getDynamicTarget('k8s-main', 'default', 'replicaSet', 'api', 'replicaSet api', 'oldest')).toEqual({
      kind: 'replicaSet',
      namespace: 'default',
      name: 'api-v000',
    });
  });

  it('deploys a ReplicaSet behind Services with traffic management, traffic off until enabled', async () => {
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'cart', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'cart' } },
        template: { metadata: { labels: { app: 'cart' } }, spec: { containers: [{ name: 'cart', image: 'cart:1' }] } },
      },
    };
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'default' }, spec: { selector: { 'lb-cart': 'true' } } };
    const task = await h.run([
      {
        deployManifest: {
          account: 'k8s-main',
          moniker: { app: 'cart' },
          manifests: [svc, rs],
          trafficManagement: { enabled: true, options: { services: ['service cart'], enableTraffic: false, strategy: 'redblack' } },
        },
      },
    ]);
    expect(task.history.map((l) => l.status)).toContain('Traffic to replicaSet cart through service cart is disabled');
    const group = async () => (await serverGroupsOf('cart')).find((g) => g.name === 'replicaSet cart-v000');
    await eventually(async () => (await group())?.isDisabled === true);
    await h.run([{ enableManifest: { account: 'k8s-main', manifestName: 'replicaSet cart-v000', location: 'default' } }]);
    await eventually(async () => (await group())?.isDisabled === false && (await group())!.loadBalancers);

    const error = await h
      .submit([{ deployManifest: { account: 'k8s-main', moniker: { app: 'cart' }, manifests: [deployment('x')], services: ['service cart', 'cart'] } }])
      .catch((e) => e);
    expect((error as OperationValidationError).fieldErrors.map((f) => f.field).sort()).toEqual(['services', 'services[1]']);
  });

  it('shows a resource changed directly in the cluster within 2 s, and its removal', async () => {
    server.cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'side', namespace: 'default', labels: { 'app.kubernetes.io/name': 'sidecar-app' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'side' } },
        template: { metadata: { labels: { app: 'side', 'app.kubernetes.io/name': 'sidecar-app' } }, spec: { containers: [{ name: 's', image: 'busybox' }] } },
      },
    });
    const [group] = await eventually(async () => {
      const list = await serverGroupsOf('sidecar-app');
      return list.length === 1 && (list[0]!.instances as unknown[]).length === 1 && list;
    });
    expect(group!.cluster).toMatch(/^replicaSet side-/); // no moniker annotations: the cluster is "<kind> <name>"
    server.cluster.deleteObject('apps/v1', 'Deployment', 'default', 'side');
    await eventually(async () => (await serverGroupsOf('sidecar-app')).length === 0);
    expect(await h.cache.filterIdentifiers('pod', 'kubernetes.v2:infrastructure:pod:k8s-main:default:side-*')).toEqual([]);
  });

  it('resumes after the server drops its watches and relists after 410 Gone', async () => {
    server.cluster.compactHistory();
    server.closeWatches();
    server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-gone', namespace: 'default' }, data: { a: '1' } });
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:k8s-main:default:after-gone'));
    await eventually(() => server.openWatchCount === 9);
  });

  it('deletes by name with cascading, and by label selector', async () => {
    await h.run([{ deleteManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default', options: { cascading: true } } }]);
    await eventually(async () => (await serverGroupsOf()).length === 0);
    expect(await h.cache.filterIdentifiers('pod', 'kubernetes.v2:infrastructure:pod:k8s-main:default:web-*')).toEqual([]);

    const task = await h.run([
      {
        deleteManifest: {
          account: 'k8s-main',
          location: 'default',
          kinds: ['replicaSet', 'service'],
          labelSelectors: { selectors: [{ kind: 'EQUALS', key: 'app.kubernetes.io/name', values: ['api'] }] },
        },
      },
    ]);
    expect((task.resultObjects[0] as any).manifestNamesByNamespace.default.sort()).toEqual(['replicaSet api-v000', 'replicaSet api-v001', 'service api']);
    await eventually(async () => (await serverGroupsOf('api')).length === 0);
  });

  it('rejects bad descriptions naming the fields, before any task exists', async () => {
    const error = await h.submit([{ deployManifest: { account: 'k8s-nope', manifests: [{ kind: 'Deployment', metadata: {} }] } }]).catch((e) => e);
    expect(error).toBeInstanceOf(OperationValidationError);
    const fields = (error as OperationValidationError).fieldErrors.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['account', 'moniker.app', 'manifests[0].apiVersion', 'manifests[0].metadata.name']));
    const scale = await h.submit([{ scaleManifest: { account: 'k8s-main', manifestName: 'service web', location: 'default', replicas: -1 } }]).catch((e) => e);
    expect((scale as OperationValidationError).fieldErrors.map((f) => f.field).sort()).toEqual(['manifestName', 'replicas']);
    const patch = await h
      .submit([
        {
          patchManifest: { account: 'k8s-main', manifestName: 'deployment web', location: 'default', patchBody: { a: 1 }, options: { mergeStrategy: 'json' } },
        },
      ])
      .catch((e) => e);
    expect((patch as OperationValidationError).fieldErrors.map((f) => f.field)).toEqual(['patchBody']);
  });

  it('fails an operation on the unreachable account quickly, leaving the other account alone', async () => {
    const { id } = await h.submit([{ scaleManifest: { account: 'k8s-down', manifestName: 'deployment web', location: 'default', replicas: 1 } }]);
    const task = (await h.waitFor(id))!;
    expect(task.history[task.history.length - 1]!.state).toBe('FAILED');
    expect(String(task.resultObjects[0]!.message)).toMatch(/ECONNREFUSED/);
    server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'still-fine', namespace: 'default' }, data: {} });
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:k8s-main:default:still-fine'));
  });
});
