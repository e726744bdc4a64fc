import { createServer, type Server, type Socket } from 'node:net';
import { FakeKubernetesServer } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, unreachableKubeconfig, type Harness } from '../src/test-support/harness.js';

/** A cluster endpoint that accepts connections and never answers (a black-holed API server). */
async function silentListener(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

describe('a cluster that accepts connections and never answers', () => {
  let fake: FakeKubernetesServer;
  let silent: Awaited<ReturnType<typeof silentListener>>;
  let h: Harness;

  beforeAll(async () => {
    fake = await FakeKubernetesServer.start();
    silent = await silentListener();
    h = await startHarness(
      [
        { name: 'hangs', kubeconfigContents: unreachableKubeconfig(silent.port), cacheIntervalSeconds: 600 },
        { name: 'works', kubeconfigContents: fake.kubeconfigYaml(), cacheIntervalSeconds: 600 },
      ],
      { client: { requestTimeoutMs: 1_500 } },
    );
  });
  afterAll(async () => {
    await h?.stop();
    await fake?.close();
    for (const socket of silent?.sockets ?? []) socket.destroy();
    await new Promise((resolve) => silent?.server.close(resolve));
  });

  it('times out its relist, shows it in health, and leaves the other account working', async () => {
    const hung = await eventually(() => h.runtime.health().find((a) => a.account === 'hangs' && a.reachable === false), 5_000);
    expect(hung.lastError).toMatch(/Timeout|aborted/i);
    expect(hung.watching).toBe(false);
    fake.cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unaffected', namespace: 'default' }, data: {} });
    await eventually(() => h.cache.get('configMap', 'kubernetes.v2:infrastructure:configMap:works:default:unaffected'), 5_000);
    const started = Date.now();
    const error = await h.manifests.getManifest('hangs', 'default', 'deployment web').catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(String(error)).toMatch(/get Deployment web/);
  });
});
