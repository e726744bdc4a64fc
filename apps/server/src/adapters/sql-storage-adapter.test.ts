import { AGENT_SCHEDULER, CACHE, TASK_REPOSITORY, memoryStorageAdapter } from '@stratus/core';
import { createSqlDatabase, sqlStorageAdapter } from '@stratus/sql';
import { TcpProxy, createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { toyProvider } from '../../test/toy-provider.js';
import { parseConfig } from '../config/load-config.js';
import { resolve } from '../di.js';
import { startServer } from '../server/start-server.js';

const silent = pino({ level: 'silent' });
const base = { server: { port: 0, address: '127.0.0.1' }, admin: { tasks: { shutdownWaitSeconds: 1 } } };

describe('sqlStorageAdapter (in a server)', () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of created) await db.drop();
  });

  it('serves each concern only when sql.enabled and that concern are on, and names bad fields', () => {
    const config = parseConfig({ sql: { enabled: true, connectionPools: { default: { url: 'sqlite::memory:' } }, cache: { enabled: true } } });
    expect(sqlStorageAdapter.enabledFor('cache', config)).toBe(true);
    expect(sqlStorageAdapter.enabledFor('tasks', config)).toBe(false);
    expect(sqlStorageAdapter.enabledFor('accounts', config)).toBe(false);
    expect(sqlStorageAdapter.enabledFor('cache', parseConfig({ sql: { cache: { enabled: true } } }))).toBe(false);
    expect(() => sqlStorageAdapter.enabledFor('cache', parseConfig({ sql: { enabled: true, cache: { enabled: true } } }))).toThrow(
      /sql\.connectionPools\.default\.url: required when sql\.enabled is true/,
    );
    expect(() => sqlStorageAdapter.enabledFor('cache', parseConfig({ sql: { enabled: true, cache: { enabled: true, readBatchSize: -1 } } }))).toThrow(
      /sql\.cache\.readBatchSize/,
    );
  });

  it('runs a server on PostgreSQL: SQL cache, clustered scheduler and tasks over one migrated pool', async () => {
    const testDb = await createTestDatabase('postgres');
    created.push(testDb);
    const raw = {
      ...base,
      caching: { poll: { intervalSeconds: 1 } },
      sql: {
        enabled: true,
        connectionPools: { default: { url: testDb.url, maxPoolSize: 4 } },
        tableNamespace: 'srv',
        cache: { enabled: true },
        scheduler: { enabled: true },
        taskRepository: { enabled: true },
        agent: { agentLockAcquisitionIntervalMs: 100 },
      },
      toy: { region: 'eu-1', accounts: [{ name: 'prod' }] },
    };
    const server = await startServer({
      config: parseConfig(raw),
      raw,
      logger: silent,
      providers: [toyProvider()],
      adapters: [sqlStorageAdapter, memoryStorageAdapter],
    });
    const check = createSqlDatabase({ url: testDb.url, maxConnections: 1, tableNamespace: 'srv' });
    try {
      expect(resolve(server.container, AGENT_SCHEDULER).kind).toBe('sql');
      const deadline = Date.now() + 10_000;
      while ((await resolve(server.container, CACHE).getIdentifiers('things')).length === 0) {
        if (Date.now() > deadline) throw new Error('the toy agent never stored anything');
        await new Promise((r) => setTimeout(r, 50));
      }
      const { n } = (await check.rows<{ n: string }>(`select count(*) as n from srv_cache_items where type = 'things'`, []))[0]!;
      expect(Number(n)).toBeGreaterThan(0);
      const locks = await check.rows<{ owner_id: string }>(`select owner_id from srv_agent_locks`, []);
      expect(locks.every((row) => typeof row.owner_id === 'string')).toBe(true);
      const { task } = await resolve(server.container, TASK_REPOSITORY).create('P', 'init', 'sql-adapter-test', 'n');
      const { m } = (await check.rows<{ m: string }>(`select count(*) as m from srv_tasks where id = ?`.replace('?', '$1'), [task.id]))[0]!;
      expect(Number(m)).toBe(1);
      expect((await request(server.url).get('/health/readiness')).status).toBe(200);
    } finally {
      await check.close();
      await server.shutdown('test done');
    }
  });

  it('stays up through a database outage: readiness goes down, then recovers by itself', async () => {
    const testDb = await createTestDatabase('postgres');
    created.push(testDb);
    const target = new URL(testDb.url);
    const proxy = await TcpProxy.open(Number(target.port));
    target.port = String(proxy.port);
    const raw = {
      ...base,
      security: { adminRoles: ['ops'], users: { olga: ['ops'] } },
      sql: {
        enabled: true,
        connectionPools: { default: { url: target.toString(), maxPoolSize: 3, connectTimeoutMs: 1000 } },
        cache: { enabled: true },
        taskRepository: { enabled: true },
      },
    };
    const server = await startServer({ config: parseConfig(raw), raw, logger: silent, providers: [], adapters: [sqlStorageAdapter, memoryStorageAdapter] });
    try {
      expect((await request(server.url).get('/health/readiness')).status).toBe(200);
      await proxy.stop();
      // Readiness details (the store's error) are for admins.
      const down = await request(server.url).get('/health/readiness').set('X-Spinnaker-User', 'olga');
      expect(down.status).toBe(503);
      expect(JSON.stringify(down.body)).toMatch(/SQL database unavailable|unavailable/i);
      expect((await request(server.url).get('/health/liveness')).status).toBe(200);
      await expect(resolve(server.container, TASK_REPOSITORY).get('x')).rejects.toMatchObject({ name: 'SqlUnavailableError', status: 503 });
      await proxy.start();
      const deadline = Date.now() + 10_000;
      while ((await request(server.url).get('/health/readiness')).status !== 200) {
        if (Date.now() > deadline) throw new Error('readiness never recovered');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await server.shutdown('test done');
      await proxy.stop();
    }
  });
});
