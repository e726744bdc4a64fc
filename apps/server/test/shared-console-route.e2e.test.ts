import { FakeGceServer, FakeKubernetesServer, startStratusProcess, type StratusProcess } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Two providers answer `/instances/{account}/{region}/{id}/console` (Kubernetes: pod logs; GCE:
 * serial port output) through the server's generic console route, which asks each provider's
 * `/<cloudProvider>/instances/…/console` route. In one real server process each request reaches
 * the provider of the named account.
 */
const PROJECT = 'console-project';
let kube: FakeKubernetesServer;
let gce: FakeGceServer;
let server: StratusProcess | undefined;

beforeAll(async () => {
  kube = await FakeKubernetesServer.start({ namespaces: ['default'] });
  kube.cluster.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { 'moniker.spinnaker.io/application': 'both' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
    },
  });
  const [pod] = kube.cluster.list(kube.cluster.typeByKind('v1', 'Pod'), 'default', 'app=web');
  kube.cluster.podLogs.set('default', pod!.metadata!.name, 'app', 'pod says hi\n');

  gce = await FakeGceServer.start({ projects: [PROJECT], token: 'gce-token' });
  gce.cloud.put(PROJECT, 'global', 'instanceTemplates', {
    name: 'both-v000-t',
    properties: {
      machineType: 'e2-small',
      disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: `projects/${PROJECT}/global/images/debian-12-bookworm-v20240110` } }],
      networkInterfaces: [{ network: `projects/${PROJECT}/global/networks/default` }],
    },
  });
  gce.cloud.put(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', {
    name: 'both-v000',
    instanceTemplate: 'global/instanceTemplates/both-v000-t',
    targetSize: 1,
  });
  const [instance] = gce.cloud.list(PROJECT, 'zones/us-central1-a', 'instances');
  gce.cloud.appendSerialOutput(PROJECT, 'zones/us-central1-a', instance!.name, 'vm says hi');

  server = await startStratusProcess({
    tempPrefix: 'stratus-shared-console-',
    config: {
      kubernetes: { enabled: true, accounts: [{ name: 'k8s', kubeconfigContents: kube.kubeconfigYaml(), namespaces: ['default'], cacheIntervalSeconds: 600 }] },
      google: {
        enabled: true,
        agentIntervalSeconds: 2,
        accounts: [{ name: 'gce', project: PROJECT, regions: ['us-central1'], endpoint: gce.endpoint, accessToken: 'gce-token' }],
      },
    },
    dropEnvPrefixes: ['GOOGLE_'],
    readyTimeoutMs: 90_000,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await kube?.close();
  await gce?.close();
}, 30_000);

describe('the console path shared by providers', () => {
  it('answers pod logs for a Kubernetes account and serial port output for a GCE account, 404 for an unknown account', async () => {
    const [pod] = kube.cluster.list(kube.cluster.typeByKind('v1', 'Pod'), 'default', 'app=web');
    const podConsole = await server!.get(`/instances/k8s/default/${encodeURIComponent(`pod ${pod!.metadata!.name}`)}/console?provider=kubernetes`);
    expect(podConsole.body).toEqual({ output: [{ name: 'app', output: 'pod says hi\n' }] });

    const [instance] = gce.cloud.list(PROJECT, 'zones/us-central1-a', 'instances');
    const vmConsole = await server!.until(
      'the GCE instance cached',
      () => server!.get(`/instances/gce/us-central1/${instance!.name}/console?provider=gce`),
      (r) => r.status === 200,
      45_000,
    );
    expect(vmConsole.body).toEqual({ output: 'vm says hi\n' });

    const unknown = await server!.get('/instances/nobody/us-central1/x/console');
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toContain('Instance not found (id: x)');
  });
});
