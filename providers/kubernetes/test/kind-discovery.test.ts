import type { Logger } from '@stratus/plugin-api';
import { customResourceDefinition, FAKE_RESOURCE_TYPES, FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../src/test-support/harness.js';

/** Every line logged, at every level, with its bindings. */
function recordingLogger() {
  const lines: { level: string; obj: any; msg?: string | undefined }[] = [];
  const make = (bindings: Record<string, unknown>): Logger => ({
    debug: (obj, msg) => void lines.push({ level: 'debug', obj: { ...bindings, ...(obj as object) }, msg }),
    info: (obj, msg) => void lines.push({ level: 'info', obj: { ...bindings, ...(obj as object) }, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj: { ...bindings, ...(obj as object) }, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj: { ...bindings, ...(obj as object) }, msg }),
    child: (more) => make({ ...bindings, ...more }),
  });
  return { logger: make({}), lines };
}

describe('what an account caches follows what the cluster serves and allows', () => {
  let fake: FakeKubernetesServer;
  let h: Harness;
  const log = recordingLogger();
  const kinds = () => Object.fromEntries((h.runtime.health()[0]!.kinds ?? []).map((k) => [k.kind, k]));

  beforeAll(async () => {
    // An older cluster: Ingress only on extensions/v1beta1.
    const types = [
      ...FAKE_RESOURCE_TYPES.filter((t) => t.kind !== 'Ingress'),
      { group: 'extensions', version: 'v1beta1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
    ];
    fake = await FakeKubernetesServer.start({ types });
    fake.cluster.apply({
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'edge', namespace: 'default' },
      spec: { backend: { serviceName: 'web', servicePort: 80 } },
    });
    fake.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: {} });
    fake.rbac.forbid({ resource: 'configmaps', namespace: 'default' });
    h = await startHarness(
      [{ name: 'legacy', kubeconfigContents: fake.kubeconfigYaml(), namespaces: ['default'], cacheAllCustomResources: true, cacheIntervalSeconds: 1 }],
      { session: { kindRecheckMs: 200 } },
      true,
      log.logger,
    );
    await eventually(() => h.runtime.health()[0]?.lastRelistAt !== undefined, 10_000);
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
  });

  it('lists and watches Ingress on the group version the cluster serves', async () => {
    await eventually(() => h.cache.get('ingress', 'kubernetes.v2:infrastructure:ingress:legacy:default:edge'), 5_000);
    expect(kinds().Ingress).toMatchObject({ status: 'cached', apiVersion: 'extensions/v1beta1' });
    const ingressPaths = fake.requests.filter((r) => r.path.includes('ingresses')).map((r) => r.path.split('?')[0]);
    expect(new Set(ingressPaths)).toEqual(new Set(['/apis/extensions/v1beta1/namespaces/default/ingresses']));
  });

  it('leaves a forbidden kind out with one warning, however often it is rechecked, and caches it once RBAC allows it', async () => {
    expect(kinds().ConfigMap).toMatchObject({ status: 'unreadable', reason: expect.stringContaining('forbidden') });
    const relists = fake.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/configmaps') && !r.watch).length;
    await eventually(() => fake.requests.filter((r) => r.path.startsWith('/api/v1/namespaces/default/configmaps') && !r.watch).length >= relists + 2, 6_000);
    const warnings = log.lines.filter((l) => l.level === 'warn' && l.msg?.startsWith('Kind ConfigMap will not be cached'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ obj: { account: 'legacy', kind: 'ConfigMap', reason: expect.stringContaining('cannot list resource "configmaps"') } });
    expect(warnings[0]!.msg).toContain("in account 'legacy' because it cannot be listed");
    expect(await h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:legacy:default:settings')).toBeUndefined();

    fake.rbac.allow('configmaps');
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:legacy:default:settings'), 6_000);
    expect(kinds().ConfigMap).toMatchObject({ status: 'cached' });
    expect(log.lines.some((l) => l.level === 'info' && l.msg === "Kind ConfigMap is cached again in account 'legacy'")).toBe(true);
    // Cached kinds are watched too, from then on.
    await eventually(() => fake.requests.some((r) => r.watch && r.path.startsWith('/api/v1/namespaces/default/configmaps')), 5_000);
  });

  it('caches the kind of a CRD created while running, under its kind, and drops it when the CRD goes', async () => {
    const key = 'kubernetes.v2:infrastructure:widget.acme.io:legacy:default:w1';
    fake.cluster.apply(customResourceDefinition({ group: 'acme.io', kind: 'Widget', plural: 'widgets' }));
    fake.cluster.apply({ apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 1 } });
    const item = await eventually(() => h.cache.get('widget.acme.io', key), 6_000);
    expect(item.attributes).toMatchObject({ kind: 'Widget', apiVersion: 'acme.io/v1', name: 'w1', namespace: 'default' });
    expect(kinds()['Widget.acme.io']).toMatchObject({ status: 'cached', source: 'crd', apiVersion: 'acme.io/v1' });
    // Its objects stream in like any kind's.
    fake.cluster.apply({ apiVersion: 'acme.io/v1', kind: 'Widget', metadata: { name: 'w2', namespace: 'default' }, spec: { size: 2 } });
    await eventually(() => h.cache.get('widget.acme.io', 'kubernetes.v2:infrastructure:widget.acme.io:legacy:default:w2'), 5_000);

    fake.cluster.deleteObject('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'widgets.acme.io');
    await eventually(async () => (await h.cache.getIdentifiers('widget.acme.io')).length === 0, 6_000);
    await eventually(() => kinds()['Widget.acme.io'] === undefined, 5_000);
    expect(h.runtime.health()[0]!.reachable).toBe(true);
  });
});
