import { SyntheticCloudRegistry, createSyntheticProvider } from '@stratus/testing';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { spawnSync } from 'node:child_process';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';

/**
 * Two replicas on one shared store: a write made through replica B (an on-demand refresh) makes
 * replica A's cached view of that application stale at once — A's next conditional poll gets the
 * new body, well inside the view cache's 60 s time to live — on a real Redis and a real PostgreSQL.
 */
const silent = pino({ level: 'silent' });
const servers: RunningServer[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const server of servers) await server.shutdown('test done');
  for (const cleanup of cleanups) await cleanup();
});

interface Summary {
  name: string;
  account: string;
  region: string;
  capacity: { desired: number };
}

async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function replicas(storage: Record<string, unknown>): Promise<{ a: RunningServer; b: RunningServer; clouds: SyntheticCloudRegistry }> {
  const clouds = new SyntheticCloudRegistry();
  const start = async () => {
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      admin: { tasks: { shutdownWaitSeconds: 1 } },
      dynamicConfig: { enabled: false },
      ...storage,
      synthetic: {
        accounts: [{ name: 'prod', regions: ['us-east-1'], seed: 5, applications: 1, serverGroupsPerApplication: 3, instancesPerServerGroup: 1 }],
      },
    };
    // Agents run once at start (hours apart after that): only the on-demand refresh writes later.
    const provider = createSyntheticProvider({ clouds, agentIntervalMs: 3_600_000 });
    const server = await startServer({ config: parseConfig(raw), raw, logger: silent, providers: [provider] });
    servers.push(server);
    return server;
  };
  return { a: await start(), b: await start(), clouds };
}

async function expectPromptInvalidation(storage: Record<string, unknown>): Promise<void> {
  const { a, b, clouds } = await replicas(storage);
  const apps = await until(
    'the agents to fill the shared cache',
    async () => (await request(a.url).get('/applications')).body as { name: string }[],
    (body) => body.length > 0,
  );
  const path = `/applications/${apps[0]!.name}/serverGroups`;
  const before = await until(
    'replica A to show the server groups',
    () => request(a.url).get(path),
    (answer) => answer.status === 200 && (answer.body as Summary[]).length === 3,
  );
  const etag = before.headers.etag as string;
  expect(etag).toMatch(/^"/); // the view cache's strong ETag
  expect((await request(a.url).get(path).set('If-None-Match', etag)).status).toBe(304);

  const target = (before.body as Summary[])[0]!;
  clouds.get('prod')!.resizeServerGroup(target.region, target.name, { min: 4, max: 4, desired: 4 });
  const refresh = await request(b.url).post('/cache/synthetic/serverGroup').send({ account: 'prod', region: target.region, serverGroupName: target.name });
  expect(refresh.status).toBe(202);

  // No waiting: the very next poll of A sees B's write.
  const after = await request(a.url).get(path).set('If-None-Match', etag);
  expect(after.status).toBe(200);
  expect(after.headers.etag).not.toBe(etag);
  expect((after.body as Summary[]).find((group) => group.name === target.name)!.capacity.desired).toBe(4);
  // And A's new entry is cached again.
  expect(
    (
      await request(a.url)
        .get(path)
        .set('If-None-Match', after.headers.etag as string)
    ).status,
  ).toBe(304);
}

describe('view cache invalidation across replicas', () => {
  it('Redis: a write through replica B invalidates replica A’s view at once', async () => {
    const prefix = `xreplica${process.pid}${Date.now()}`;
    cleanups.push(() => {
      spawnSync('sh', ['-c', `redis-cli -h 127.0.0.1 --scan --pattern '${prefix}:*' | xargs -r -n 500 redis-cli -h 127.0.0.1 unlink > /dev/null`]);
    });
    await expectPromptInvalidation({
      redis: {
        enabled: true,
        connection: 'redis://127.0.0.1:6379',
        keyPrefix: prefix,
        cache: { enabled: true },
        scheduler: { enabled: false },
        taskRepository: { enabled: false },
      },
    });
  }, 120_000);

  it('PostgreSQL: a write through replica B invalidates replica A’s view at once', async () => {
    const database: TestDatabase = await createTestDatabase('postgres');
    cleanups.push(() => database.drop());
    await expectPromptInvalidation({ sql: { enabled: true, connectionPools: { default: { url: database.url, maxPoolSize: 4 } }, cache: { enabled: true } } });
  }, 120_000);
});
