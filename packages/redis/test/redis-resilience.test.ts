import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { cacheData } from '@stratus/plugin-api';
import { freePort } from '@stratus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCacheStoreFactory, createRedisScheduler, createRedisTaskRepository, parseRedisConfig, RedisUnavailableError } from '../src/index.js';
import { sleep } from './redis-test-support.js';

/** A throw-away redis-server on loopback with persistence off. */
class ScratchRedis {
  private process: ChildProcess | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const ok = await new Promise<boolean>((resolve) => {
        const probe = createServer();
        probe.once('error', () => resolve(true)); // port taken = server listening
        probe.listen(this.port, '127.0.0.1', () => probe.close(() => resolve(false)));
      });
      if (ok) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what} (${String(error)})`, { cause: error });
      await sleep(100);
    }
  }
}

describe('when Redis goes away and comes back', () => {
  let server: ScratchRedis;
  beforeAll(async () => {
    server = new ScratchRedis(await freePort());
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('ping fails, reads reject with a 503-mapped error, nothing crashes, and everything recovers by itself', async () => {
    const config = parseRedisConfig({
      enabled: true,
      connection: `redis://127.0.0.1:${server.port}/0`,
      timeout: 500,
      agent: { agentLockAcquisitionIntervalSeconds: 0.05 },
    });
    const cacheFactory = createRedisCacheStoreFactory(config);
    const tasks = createRedisTaskRepository(config);
    const scheduler = createRedisScheduler(config, { nodeId: 'resilient' });
    let runs = 0;
    scheduler.schedule(
      { agentType: 'acct/Resilient', providerName: 'p', intervalMs: 100, timeoutMs: 2000 },
      {
        execute: async (context) => {
          await context.guardedWrite(async () => {
            await cacheFactory.getStore('aws').mergeAll('heartbeat', [cacheData('beat', { n: ++runs })]);
          });
          return { itemsWritten: 1 };
        },
      },
    );
    const store = cacheFactory.getStore('aws');
    try {
      scheduler.start();
      await store.mergeAll('serverGroups', [cacheData('sg:1', { v: 1 })]);
      expect((await store.getAll('serverGroups', ['sg:1']))[0]?.attributes).toEqual({ v: 1 });
      await eventually(async () => expect(runs).toBeGreaterThan(1), 5000, 'agent runs');

      await server.stop();
      await expect(cacheFactory.ping()).rejects.toBeInstanceOf(RedisUnavailableError);
      await expect(tasks.ping()).rejects.toBeInstanceOf(RedisUnavailableError);
      const failure = await store.getAll('serverGroups', ['sg:1']).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RedisUnavailableError);
      expect((failure as RedisUnavailableError).statusCode).toBe(503);
      expect((failure as Error).message).toMatch(/Redis is unavailable \(read aws\/serverGroups\)/);
      await expect(tasks.get('anything')).rejects.toBeInstanceOf(RedisUnavailableError);
      const runsWhileDown = runs;
      await sleep(400); // the scheduler keeps ticking against a dead server without crashing
      expect(runs).toBe(runsWhileDown);

      await server.start(); // comes back empty (no persistence)
      await eventually(() => cacheFactory.ping(), 10_000, 'the cache connection to recover');
      await eventually(() => tasks.ping(), 10_000, 'the task connection to recover');
      await store.mergeAll('serverGroups', [cacheData('sg:2', { v: 2 })]);
      expect((await store.getAll('serverGroups', ['sg:2']))[0]?.attributes).toEqual({ v: 2 });
      await eventually(async () => expect(runs).toBeGreaterThan(runsWhileDown + 1), 10_000, 'agents to run again');
      expect((await store.getAll('heartbeat', ['beat']))[0]?.attributes.n).toBeGreaterThan(runsWhileDown);
    } finally {
      await scheduler.stop(0);
      await tasks.close();
      await cacheFactory.close();
    }
  }, 40_000);
});
