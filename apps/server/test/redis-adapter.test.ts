import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from '../src/adapters/create-storage.js';
import { STORAGE_ADAPTERS } from '../src/modules/storage-adapter-modules.js';
import { parseConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server/start-server.js';
import { testStorageContext } from './support/test-storage-context.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of our own on loopback (persistence off), so the test can take it away. */
function startRedisServer(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

const REDIS_URL = process.env.STRATUS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const prefix = `stratus-test-server-redis-${randomBytes(4).toString('hex')}`;
const admin = createRedisClient({ url: REDIS_URL });

const context = (raw: Record<string, unknown>) =>
  testStorageContext(raw, {
    nodeId: 'server-redis-test',
    schedulerDefaults: { intervalMs: 30_000, errorIntervalMs: 30_000, timeoutMs: 300_000 },
    maxConcurrentAgents: 10,
  });

async function close(storage: Storage): Promise<void> {
  await storage.scheduler.stop(0);
  await storage.taskRepository.close();
  await storage.cacheStoreFactory.close();
}

describe('redis storage adapter', () => {
  afterAll(async () => {
    await deleteKeysMatching(admin, `${prefix}:*`);
    admin.disconnect();
  });

  it('serves cache, scheduler and tasks from Redis once redis.enabled, stored accounts in its cache store', async () => {
    const storage = await createStorage(
      STORAGE_ADAPTERS,
      context({ redis: { enabled: true, connection: REDIS_URL, keyPrefix: prefix, scheduler: 'sort' }, 'cache-sharding': { enabled: false } }),
    );
    try {
      expect(storage.adapters).toEqual({ cache: 'redis', scheduler: 'redis', tasks: 'redis', accounts: 'redis (cache store)' });
      expect(storage.cacheStoreFactory.kind).toBe('redis');
      expect(storage.scheduler.kind).toBe('redis-sort');
      expect(storage.scheduler.atomic).toBe(true);
      expect(storage.taskRepository.kind).toBe('redis');
      await storage.cacheStoreFactory.ping();
      const { task } = await storage.taskRepository.create('ORCHESTRATION', 'init', `rid-${prefix}`, 'server-redis-test');
      expect(await admin.exists(`${prefix}:task:${task.id}`)).toBe(1);
      await storage.cacheStoreFactory.getStore('aws').mergeAll('serverGroups', [{ id: 'sg:1', attributes: { a: 1 }, relationships: {}, ttlSeconds: -1 }]);
      expect(await admin.exists(`${prefix}:cache:aws:serverGroups:i:sg:1`)).toBe(1);
    } finally {
      await close(storage);
    }
  });

  it('switches each concern independently and uses the server-wide agent defaults', async () => {
    const storage = await createStorage(
      STORAGE_ADAPTERS,
      context({ redis: { enabled: true, connection: REDIS_URL, keyPrefix: prefix, cache: { enabled: false }, taskRepository: { enabled: false } } }),
    );
    try {
      expect(storage.adapters).toEqual({ cache: 'memory', scheduler: 'redis', tasks: 'memory', accounts: 'memory' });
      expect(storage.scheduler.kind).toBe('redis');
    } finally {
      await close(storage);
    }
    const off = await createStorage(STORAGE_ADAPTERS, context({}));
    expect(off.adapters).toEqual({ cache: 'memory', scheduler: 'memory', tasks: 'memory', accounts: 'memory' });
    await close(off);
  });

  it('rejects a bad redis block with an error naming the field', async () => {
    await expect(createStorage(STORAGE_ADAPTERS, context({ redis: { enabled: true, connection: 'http://nope' } }))).rejects.toThrow(
      /redis\.connection: must start with redis:\/\/ or rediss:\/\//,
    );
    await expect(
      createStorage(
        STORAGE_ADAPTERS,
        context({
          redis: { enabled: true, connection: REDIS_URL, keyPrefix: prefix },
          'cache-sharding': { enabled: true, 'replica-ttl-seconds': 5, 'heartbeat-interval-seconds': 10 },
        }),
      ),
    ).rejects.toThrow(/cache-sharding\.replicaTtlSeconds/);
  });

  it('readiness follows Redis: down while it is away, up again by itself when it returns', async () => {
    const port = await freePort();
    let redisServer = startRedisServer(port);
    const url = `redis://127.0.0.1:${port}/0`;
    const raw = {
      server: { port: 0, address: '127.0.0.1' },
      admin: { tasks: { shutdownWaitSeconds: 1 } },
      redis: { enabled: true, connection: url, keyPrefix: prefix },
    };
    const probe = createRedisClient({ url });
    await until(
      () =>
        probe.ping().then(
          () => true,
          () => false,
        ),
      (ok) => ok,
    );
    probe.disconnect();
    const server = await startServer({ config: parseConfig(raw), raw, logger: pino({ level: 'silent' }) });
    try {
      const readiness = () =>
        request(server.url)
          .get('/health/readiness')
          .then((res) => res.status);
      expect(await until(readiness, (status) => status === 200)).toBe(200);
      await new Promise<void>((resolve) => {
        redisServer.once('exit', () => resolve());
        redisServer.kill('SIGKILL');
      });
      expect(await until(readiness, (status) => status === 503)).toBe(503);
      // Reads that need Redis answer 503 with the reason, not a generic 500.
      const down = await request(server.url).get('/task/some-task');
      expect(down.status).toBe(503);
      expect(down.body.message).toMatch(/redis/i);
      redisServer = startRedisServer(port);
      expect(await until(readiness, (status) => status === 200)).toBe(200);
      expect((await request(server.url).get('/task/some-task')).status).toBe(404);
    } finally {
      await server.shutdown('test done');
      redisServer.kill('SIGKILL');
    }
  }, 40_000);
});
