import { describe, expect, it } from 'vitest';
import { eventually } from '../src/test-support/harness.js';
import { kubernetesServerE2e } from '../src/test-support/kubernetes-server-e2e.js';

/**
 * The "done when" over HTTP: the real server process (the `stratus` bin of apps/server)
 * with `kubernetes.enabled`, one account on the fake API server and one on a closed port. Orca's
 * calls: `POST /kubernetes/ops`, `GET /task/{id}`, `GET /applications/{app}/serverGroups`.
 */
describe('Kubernetes provider in the real server process', () => {
  const e2e = kubernetesServerE2e({ tempPrefix: 'stratus-k8s-http-', account: { name: 'k8s-http' }, downAccount: 'k8s-gone' });
  const { call } = e2e;

  it("shows each cluster's health in readiness details without leaving rotation", async () => {
    const readiness = await eventually(async () => {
      const report = await e2e.process.call('GET', '/health/readiness', undefined, { 'x-spinnaker-user': 'root' });
      const accounts = report.body?.components?.['kubernetes.accounts']?.details?.accounts ?? [];
      const gone = accounts.find((a: { account: string }) => a.account === 'k8s-gone');
      // Wait for both accounts' first contact: on a busy machine k8s-gone can fail before k8s-http's first list answered.
      const http = accounts.find((a: { account: string }) => a.account === 'k8s-http');
      return report.status === 200 && gone?.reachable === false && http?.reachable !== undefined ? report : undefined;
    }, 15_000);
    const accounts = readiness.body.components['kubernetes.accounts'].details.accounts;
    expect(accounts.find((a: { account: string }) => a.account === 'k8s-gone')).toMatchObject({ reachable: false, lastError: expect.any(String) });
    expect(accounts.find((a: { account: string }) => a.account === 'k8s-http')).toMatchObject({ reachable: true });
    expect(readiness.body.status).toBe('UP');
  });

  it('deploys through POST /kubernetes/ops and serves the result from the watch-fed cache', async () => {
    const credentials = await call('GET', '/credentials');
    expect(credentials.body.map((a: { name: string }) => a.name).sort()).toEqual(['k8s-gone', 'k8s-http']);
    // The account's watches are open once its first relist ran.
    await eventually(() => e2e.fake.openWatchCount === 9, 10_000);

    const manifests = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'front', namespace: 'default' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'front' } },
          template: { metadata: { labels: { app: 'front' } }, spec: { containers: [{ name: 'front', image: 'nginx:1' }] } },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'front', namespace: 'default' }, spec: { selector: { app: 'front' } } },
    ];
    const posted = await call('POST', '/kubernetes/ops', [
      { deployManifest: { account: 'k8s-http', cloudProvider: 'kubernetes', moniker: { app: 'webshop' }, manifests, source: 'text' } },
    ]);
    expect(posted.status).toBe(200);
    const task = await eventually(async () => {
      const answer = await call('GET', `/task/${posted.body.id}`);
      return answer.body?.status?.completed && answer.body;
    }, 10_000);
    expect(task.status).toMatchObject({ completed: true, failed: false });
    expect(task.resultObjects[0].manifestNamesByNamespace).toEqual({ default: ['service front', 'deployment front'] });
    expect(task.outputs.map((o: { stdOut: string }) => o.stdOut)).toEqual(['service/front created', 'deployment.apps/front created']);

    const groups = await eventually(async () => {
      const answer = await call('GET', '/applications/webshop/serverGroups');
      return answer.status === 200 && answer.body.length === 1 && answer.body[0].instances.length === 2 && answer.body;
    });
    expect(groups[0]).toMatchObject({
      account: 'k8s-http',
      region: 'default',
      cluster: 'deployment front',
      cloudProvider: 'kubernetes',
      loadBalancers: ['service front'],
    });

    const application = await call('GET', '/applications/webshop');
    expect(application.status).toBe(200);
    expect(application.body.attributes.cloudProviders).toBe('kubernetes');
    expect(application.body.clusters['k8s-http'].map((c: { name: string }) => c.name)).toEqual(['deployment front']);
    const cluster = await call('GET', `/applications/webshop/clusters/k8s-http/${encodeURIComponent('deployment front')}/kubernetes`);
    expect(cluster.status).toBe(200);
    expect(cluster.body).toMatchObject({ name: 'deployment front', accountName: 'k8s-http', type: 'kubernetes', moniker: { app: 'webshop' } });
    expect(cluster.body.loadBalancers.map((lb: { name: string }) => lb.name)).toEqual(['service front']);
    const pod = groups[0].instances[0];
    const instance = await call('GET', `/instances/k8s-http/default/${encodeURIComponent(pod.name)}`);
    expect(instance.body).toMatchObject({ name: pod.name, healthState: 'Up', cloudProvider: 'kubernetes' });

    // The live manifest reader, as Orca's WaitForManifestStable polls it.
    const live = await call('GET', `/manifests/k8s-http/default/${encodeURIComponent('deployment front')}?includeEvents=true`);
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({
      account: 'k8s-http',
      name: 'deployment front',
      location: 'default',
      moniker: { app: 'webshop', cluster: 'deployment front' },
    });
    expect(live.body.status).toEqual({ stable: { state: true }, paused: { state: false }, available: { state: true }, failed: { state: false } });
    expect(live.body.events.length).toBeGreaterThan(0);
    expect((await call('GET', `/manifests/k8s-http/default/${encodeURIComponent('deployment nope')}`)).status).toBe(404);
    expect((await call('GET', `/manifests/k8s-http/default/${encodeURIComponent('widget x')}`)).status).toBe(400);
    const gone = await call('GET', `/manifests/k8s-gone/default/${encodeURIComponent('deployment front')}`);
    expect(gone.status, JSON.stringify(gone.body)).toBe(500); // unreachable cluster: a server error, not a 404
    const newest = await call('GET', `/manifests/k8s-http/default/replicaSet/cluster/webshop/${encodeURIComponent('deployment front')}/dynamic/newest`);
    expect(newest.body).toEqual({ kind: 'replicaSet', namespace: 'default', name: groups[0].name.split(' ')[1] });
    expect((await call('GET', `/manifests/k8s-http/default/replicaSet/cluster/webshop/${encodeURIComponent('deployment front')}/dynamic/biggest`)).status).toBe(
      400,
    );

    // No on-demand agent handles Kubernetes types: the cache refresh Orca sends is answered at once.
    const refresh = await call('POST', '/cache/kubernetes/manifest', { account: 'k8s-http', location: 'default', name: 'deployment front' });
    expect(refresh.status).toBe(200);

    const scale = await call('POST', '/kubernetes/ops', [
      { scaleManifest: { account: 'k8s-http', manifestName: 'deployment front', location: 'default', replicas: 3 } },
    ]);
    await eventually(async () => (await call('GET', `/task/${scale.body.id}`)).body?.status?.completed);
    await eventually(async () => (await call('GET', '/applications/webshop/serverGroups')).body[0]?.instances.length === 3);

    const invalid = await call('POST', '/kubernetes/ops', [
      { scaleManifest: { account: 'k8s-http', manifestName: 'deployment front', location: 'default', replicas: 'many' } },
    ]);
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('replicas');
  });
});
