import { randomBytes } from 'node:crypto';
import { AccountRegistry, KeyParserRegistry, MapReadModelRegistry, MemoryCacheStoreFactory, ProviderHost, ProviderRouteRegistry } from '@stratus/core';
import { createKubernetesProvider, type KubernetesProvider } from '@stratus/provider-kubernetes';
import { createRedisClient, deleteKeysMatching, RedisAgentScheduler } from '@stratus/redis';
import { FakeKubernetesServer, pollUntil } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const AGENT = 'fenced/KubernetesManifestCachingAgent';
type Redis = ReturnType<typeof createRedisClient>;

/**
 * One Stratus replica: a provider host over its own memory cache, a Redis scheduler sharing the
 * lock keys with the other replica, the Kubernetes provider, and one account. Every watch write
 * (the session's partial results) is counted and, while it is being written, checked against the
 * agent's lock in Redis.
 */
async function startReplica(nodeId: string, prefix: string, kubeconfig: string, checker: Redis) {
  const redis = createRedisClient({ url: REDIS_URL, connectionName: `fencing-${nodeId}` });
  const enabled = { on: false };
  const scheduler = new RedisAgentScheduler(redis, {
    keyPrefix: prefix,
    nodeId,
    tickMs: 50,
    releaseThresholdMs: 20,
    lockGraceMs: 200,
    nodeEnabled: () => enabled.on,
  });
  const host = new ProviderHost({
    cacheStoreFactory: new MemoryCacheStoreFactory(),
    scheduler,
    readModels: new MapReadModelRegistry(),
    keyParsers: new KeyParserRegistry(),
    routes: new ProviderRouteRegistry(),
  });
  const provider: KubernetesProvider = createKubernetesProvider({ session: { flushDelayMs: 5, ownershipCheckMs: 100 } });
  await host.register(provider, {});
  const cache = host.providerCache('kubernetes');
  const writes: { at: number; lockHeldBy: string | null }[] = [];
  const addCacheResult = cache.addCacheResult.bind(cache);
  cache.addCacheResult = async (source, authoritative, result) => {
    // Inside the fenced write: the agent's lock names this replica, so no other can take it now.
    writes.push({ at: Date.now(), lockHeldBy: await checker.get(`${prefix}:${AGENT}`) });
    return addCacheResult(source, authoritative, result);
  };
  const registry = new AccountRegistry(host);
  await registry.sync([
    {
      cloudProvider: 'kubernetes',
      name: 'fenced',
      raw: { name: 'fenced', kubeconfigContents: kubeconfig, cacheIntervalSeconds: 1 },
      defaults: {},
      origin: 'config',
    },
  ]);
  scheduler.start();
  const runtime = provider.services!.runtime;
  return {
    nodeId,
    enabled,
    writes,
    scheduler,
    health: () => runtime.health()[0]!,
    async stop() {
      await scheduler.stop(100);
      await registry.clear();
      await redis.quit();
    },
  };
}
type Replica = Awaited<ReturnType<typeof startReplica>>;

describe('watch writes of one Kubernetes account on two replicas sharing the Redis scheduler', () => {
  const prefix = `stratus-test-fencing-${randomBytes(4).toString('hex')}`;
  const checker = createRedisClient({ url: REDIS_URL, connectionName: 'fencing-checker' });
  let fake: FakeKubernetesServer;
  let a: Replica;
  let b: Replica;
  let scale = 1;

  beforeAll(async () => {
    fake = await FakeKubernetesServer.start();
    fake.cluster.apply({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-v000',
        namespace: 'default',
        annotations: { 'moniker.spinnaker.io/application': 'web', 'moniker.spinnaker.io/cluster': 'replicaSet web' },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
      },
    });
    a = await startReplica('replica-a', prefix, fake.kubeconfigYaml(), checker);
    b = await startReplica('replica-b', prefix, fake.kubeconfigYaml(), checker);
  }, 30_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await fake?.close();
    await deleteKeysMatching(checker, `${prefix}:*`);
    await checker.quit();
  });

  /** Scales the ReplicaSet directly in the cluster: every scale is a few watch events (ReplicaSet, pods). */
  const scaleInCluster = () => fake.cluster.patchObject('apps/v1', 'ReplicaSet', 'default', 'web-v000', { spec: { replicas: (scale = (scale % 3) + 1) } });

  it('hands the account over: the replica that lost the agent stops watching and never writes again', async () => {
    a.enabled.on = true;
    await pollUntil('replica-a watching', async () => a.health().watching, Boolean, 10_000);
    for (let i = 0; i < 3; i++) {
      scaleInCluster();
      await pollUntil(
        'replica-a writing the scale',
        async () => a.writes.length,
        (n) => n > i,
        5_000,
      );
    }

    // replica-a drains (its node no longer takes agents); replica-b takes the account's agent.
    a.enabled.on = false;
    b.enabled.on = true;
    await pollUntil(
      'a run on replica-b',
      async () => b.health().lastRelistAt,
      (at) => at !== undefined,
      10_000,
    );
    await pollUntil(
      'replica-a to stop watching',
      async () => a.health().watching,
      (watching) => !watching,
      5_000,
    );
    const aWrites = a.writes.length;
    const bWritesBefore = b.writes.length;
    for (let i = 0; i < 5; i++) {
      scaleInCluster();
      await pollUntil(
        'replica-b writing the scale',
        async () => b.writes.length,
        (n) => n > bWritesBefore + i,
        5_000,
      );
    }
    expect(a.writes.length).toBe(aWrites);
    // One replica's streams remain: replica-b's.
    expect(b.health().watching).toBe(true);
    expect(fake.openWatchCount).toBe(b.health().openWatches);
    for (const replica of [a, b])
      for (const write of replica.writes) expect(write.lockHeldBy?.startsWith(`${replica.nodeId} `) || write.lockHeldBy === replica.nodeId).toBe(true);
  });

  it('with both replicas taking the agent in turn, every watch write is made by the replica holding its lock', async () => {
    a.enabled.on = true;
    b.enabled.on = true;
    const start = { a: a.writes.length, b: b.writes.length };
    const deadline = Date.now() + 4_000;
    while (Date.now() < deadline) {
      scaleInCluster();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const all = [...a.writes.slice(start.a).map((w) => ({ ...w, by: a.nodeId })), ...b.writes.slice(start.b).map((w) => ({ ...w, by: b.nodeId }))];
    expect(all.length).toBeGreaterThan(10);
    for (const write of all) expect(write.lockHeldBy === write.by || write.lockHeldBy?.startsWith(`${write.by} `), JSON.stringify(write)).toBe(true);
  });
});
