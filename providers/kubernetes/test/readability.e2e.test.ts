import { FAKE_RESOURCE_TYPES } from '@stratus/testing';
import { describe, expect, it } from 'vitest';
import { eventually } from '../src/test-support/harness.js';
import { kubernetesServerE2e } from '../src/test-support/kubernetes-server-e2e.js';

/**
 * A namespace-scoped account on a cluster that does not serve Ingress and whose RBAC forbids
 * Secrets, as many real accounts are: the real server process caches everything else. The
 * Spinnaker-annotated ReplicaSet is in the cluster before the server starts.
 */
describe('an account with one forbidden and one unserved kind, in the real server process', () => {
  const e2e = kubernetesServerE2e({
    tempPrefix: 'stratus-k8s-readability-',
    fakeOptions: { namespaces: ['default', 'shop'], types: FAKE_RESOURCE_TYPES.filter((t) => t.kind !== 'Ingress') },
    // A cluster that never answers: its agent's failure must reach the log.
    downAccount: 'k8s-down',
    account: { name: 'k8s-scoped', namespaces: ['shop'] },
    seed(fake) {
      fake.rbac.forbid({ resource: 'secrets' });
      fake.cluster.apply({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-v000',
          namespace: 'shop',
          annotations: { 'moniker.spinnaker.io/application': 'shop', 'moniker.spinnaker.io/cluster': 'replicaSet web', 'moniker.spinnaker.io/sequence': '0' },
          labels: { 'app.kubernetes.io/managed-by': 'spinnaker', 'app.kubernetes.io/name': 'shop' },
        },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
        },
      });
      fake.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { a: '1' } });
    },
  });
  const { call } = e2e;

  it('serves the pre-seeded application, its server group with pods as instances and its cluster from the first run', async () => {
    const applications = await eventually(async () => {
      const answer = await call('GET', '/applications');
      return answer.status === 200 && answer.body.some((a: { name: string }) => a.name === 'shop') && answer.body;
    }, 20_000);
    expect(applications.map((a: { name: string }) => a.name)).toContain('shop');
    const groups = await eventually(async () => {
      const answer = await call('GET', '/applications/shop/serverGroups');
      return answer.status === 200 && answer.body.length === 1 && answer.body[0].instances.length === 2 && answer.body;
    }, 10_000);
    expect(groups[0]).toMatchObject({
      name: 'replicaSet web-v000',
      account: 'k8s-scoped',
      region: 'shop',
      cluster: 'replicaSet web',
      cloudProvider: 'kubernetes',
    });
    expect(groups[0].instances.every((i: { name: string }) => i.name.startsWith('pod web-v000-'))).toBe(true);
    const clusters = await call('GET', '/applications/shop/clusters');
    expect(clusters.status).toBe(200);
    expect(clusters.body).toEqual({ 'k8s-scoped': ['replicaSet web'] });
    // The run that cached it was one run of the agent, not a retry after failures.
    const introspection = (await call('GET', '/cache/introspection')).body.find((a: { id: string }) => a.id === 'k8s-scoped/KubernetesManifestCachingAgent');
    expect(introspection.lastError).toBeNull();
    expect(introspection.details.kinds).toMatchObject({
      Ingress: expect.stringMatching(/^unserved: /),
      Secret: expect.stringMatching(/^unreadable: .*forbidden/),
      ReplicaSet: 'cached',
    });
  });

  it('shows a scale done directly in the cluster without any on-demand call', async () => {
    e2e.fake.cluster.patchObject('apps/v1', 'ReplicaSet', 'shop', 'web-v000', { spec: { replicas: 3 } });
    // Polled: the watch carries it (the account relists only every 600 s).
    const groups = await eventually(async () => {
      const answer = await call('GET', '/applications/shop/serverGroups');
      return answer.body?.[0]?.instances.length === 3 && answer.body;
    }, 5_000);
    expect(groups[0].capacity).toMatchObject({ desired: 3 });
    expect(e2e.fake.requests.some((r) => r.method !== 'GET')).toBe(false);
  });

  it('names the skipped kinds in one warning each and in readiness details, with the cluster reachable', async () => {
    const readiness = await e2e.process.call('GET', '/health/readiness', undefined, { 'x-spinnaker-user': 'root' });
    expect(readiness.status).toBe(200);
    const account = readiness.body.components['kubernetes.accounts'].details.accounts.find((a: { account: string }) => a.account === 'k8s-scoped');
    expect(account).toMatchObject({ reachable: true, watching: true });
    const kinds = Object.fromEntries(account.kinds.map((k: { kind: string; status: string }) => [k.kind, k.status]));
    expect(kinds).toMatchObject({ Ingress: 'unserved', Secret: 'unreadable', ReplicaSet: 'cached', Pod: 'cached', ConfigMap: 'cached' });
    expect(account.kinds.find((k: { kind: string }) => k.kind === 'Secret').reason).toContain('cannot list resource "secrets"');

    const output = e2e.process.output();
    const secretWarnings = output
      .split('\n')
      .filter((line) => line.includes("Kind Secret will not be cached in account 'k8s-scoped' because it cannot be listed"));
    expect(secretWarnings).toHaveLength(1);
    expect(JSON.parse(secretWarnings[0]!)).toMatchObject({ level: 40, account: 'k8s-scoped', kind: 'Secret' });
    expect(
      output.split('\n').filter((line) => line.includes("Kind Ingress will not be cached in account 'k8s-scoped' because the cluster does not serve it")),
    ).toHaveLength(1);
  });

  it('logs the failing agent of an unreachable cluster with agent, account and error, and leaves it unreachable in readiness', async () => {
    const line = await eventually(
      () =>
        e2e.process
          .output()
          .split('\n')
          .find((l) => l.includes('agent k8s-down/KubernetesManifestCachingAgent failed')),
      15_000,
    );
    expect(JSON.parse(line)).toMatchObject({
      level: 40,
      agentType: 'k8s-down/KubernetesManifestCachingAgent',
      account: 'k8s-down',
      provider: 'kubernetes',
      failures: 1,
      error: expect.stringContaining('ECONNREFUSED'),
    });
    const accounts = (await e2e.process.call('GET', '/health/readiness', undefined, { 'x-spinnaker-user': 'root' })).body.components['kubernetes.accounts']
      .details.accounts;
    expect(accounts.find((a: { account: string }) => a.account === 'k8s-down')).toMatchObject({ reachable: false });
    // The healthy account's agent never failed, so it logged nothing of the kind.
    expect(e2e.process.output()).not.toContain('agent k8s-scoped/KubernetesManifestCachingAgent failed');
  });
});
