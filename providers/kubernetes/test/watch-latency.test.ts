import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/test-support/harness.js';

/** Measures how long a change made in the cluster takes to show in the cache (printed, not asserted). */
describe('watch-to-cache latency', () => {
  let server: FakeKubernetesServer;
  let h: Harness;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
    h = await startHarness([{ name: 'latency', kubeconfigContents: server.kubeconfigYaml(), kinds: ['configMap'], cacheIntervalSeconds: 600 }]);
    const deadline = Date.now() + 5_000;
    while (server.openWatchCount < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
  });

  it('delivers every change, and prints the latency distribution', async () => {
    const key = 'kubernetes.v2:infrastructure:configMap:latency:default:probe';
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const started = performance.now();
      server.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default' }, data: { v: String(i) } });
      for (;;) {
        const item = await h.cache.get('configMap', key);
        if ((item?.attributes.manifest as { data?: { v?: string } })?.data?.v === String(i)) break;
        if (performance.now() - started > 2_000) throw new Error(`change ${i} not cached within 2 s`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 10) / 10;
    console.table([{ changes: samples.length, 'p50 ms': at(0.5), 'p90 ms': at(0.9), 'max ms': at(1), 'flush delay ms': 25 }]);
    expect(samples).toHaveLength(40);
  });
});
