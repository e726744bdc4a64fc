import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/test-support/harness.js';

/**
 * 2,000 configured accounts cost parsing and small objects, never connections: clients and cache
 * sessions are created when an account's agent first runs. Prints what registration took.
 */
describe('2,000 Kubernetes accounts', () => {
  let server: FakeKubernetesServer;
  let h: Harness;

  beforeAll(async () => {
    server = await FakeKubernetesServer.start();
  });
  afterAll(async () => {
    await h?.stop();
    await server?.close();
  });

  it('register without opening any connection', async () => {
    const kubeconfig = server.kubeconfigYaml();
    const accounts = Array.from({ length: 2000 }, (_, i) => ({ name: `team-${i}`, kubeconfigContents: kubeconfig, namespaces: [`team-${i}`] }));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    h = await startHarness(accounts, {}, false);
    const elapsedMs = performance.now() - started;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(h.report.added).toHaveLength(2000);
    expect(h.report.problems).toEqual([]);
    expect(h.scheduler.scheduledAgentTypes()).toHaveLength(2000);
    expect(server.requests).toHaveLength(0);
    expect(server.openWatchCount).toBe(0);
    console.table([
      {
        accounts: 2000,
        'register ms': Math.round(elapsedMs),
        'heap MB (approx.)': Math.round(heapMb * 10) / 10,
        'requests to cluster': server.requests.length,
        'open watches': server.openWatchCount,
      },
    ]);
  });
});
