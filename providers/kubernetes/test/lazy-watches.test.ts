import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../src/test-support/harness.js';

describe('watch streams are lazy and bounded', () => {
  let server: FakeKubernetesServer;
  let h: Harness;
  const names = ['lazy-a', 'lazy-b', 'lazy-c'];

  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
    h = await startHarness(
      names.map((name) => ({ name, kubeconfigContents: server.kubeconfigYaml(), cacheIntervalSeconds: 600, omitKinds: ['secret'] })),
      { maxWatchedAccounts: 1 },
      false,
    );
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
  });

  it('opens no connection before the scheduler first runs an account agent', () => {
    expect(h.report.added.sort()).toEqual(names);
    expect(server.requests).toEqual([]);
    expect(h.runtime.health().every((a) => a.reachable === undefined && !a.watching)).toBe(true);
  });

  it('after the first relists, only the accounts holding a slot watch; the rest are cached by relists', async () => {
    server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen-by-all', namespace: 'default' }, data: {} });
    h.scheduler.start();
    await eventually(() => h.runtime.health().every((a) => a.reachable === true) && server.openWatchCount === 8, 5_000);
    const watching = h.runtime.health().filter((a) => a.watching);
    expect(watching).toHaveLength(1);
    expect(server.requests.filter((r) => r.watch).length).toBe(8); // 8 kinds (secrets omitted), one account
    for (const name of names) {
      expect(await h.cache.get('configMap', `kubernetes.v2:infrastructure:configMap:${name}:default:seen-by-all`)).toBeDefined();
    }
  });

  it('an account in use (live manifest read) takes the least recently used slot', async () => {
    const holder = h.runtime.health().find((a) => a.watching)!.account;
    const other = names.find((n) => n !== holder)!;
    await h.manifests.getManifest(other, 'default', 'configMap seen-by-all');
    await eventually(() => {
      const health = h.runtime.health();
      return (
        health.find((a) => a.account === other)?.openWatches === 8 &&
        health.find((a) => a.account === holder)?.watching === false &&
        server.openWatchCount === 8
      );
    });
    server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-promotion', namespace: 'default' }, data: {} });
    await eventually(() => h.cache.get('configMap', `kubernetes.v2:infrastructure:configMap:${other}:default:after-promotion`));
  });
});
