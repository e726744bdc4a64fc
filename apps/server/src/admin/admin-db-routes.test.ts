import { randomBytes } from 'node:crypto';
import type { CacheData } from '@stratus/plugin-api';
import { createRedisClient, deleteKeysMatching, RedisCacheStoreFactory } from '@stratus/redis';
import { createSqlDatabase, migrateSqlDatabase, SqlCacheStoreFactory, SqlTaskRepository } from '@stratus/sql';
import { createTestDatabase, type TestDatabase } from '@stratus/sql/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { startServer, type RunningServer } from '../server/start-server.js';

const silent = pino({ level: 'silent' });
const items = (count: number): CacheData[] =>
  Array.from({ length: count }, (_, i) => ({ id: `toy:things:${i}`, ttlSeconds: 0, attributes: { i }, relationships: {} }));

async function put(server: RunningServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { method: 'PUT', headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const ADMIN = { 'x-spinnaker-user': 'olga' };

async function serve(raw: Record<string, unknown>): Promise<RunningServer> {
  const config = parseConfig({ server: { port: 0, address: '127.0.0.1' }, admin: { tasks: { shutdownWaitSeconds: 1 } }, ...raw });
  return startServer({ config, raw, logger: silent, providers: [] });
}

describe('PUT /admin/db/{truncate,drop}/{namespace} on Redis', () => {
  const active = `stratus-test-admindb-${randomBytes(4).toString('hex')}`;
  const old = `${active}-old`;
  const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
  let server: RunningServer;

  beforeAll(async () => {
    server = await serve({
      redis: { enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: active, scheduler: { enabled: false }, taskRepository: { enabled: false } },
      security: { adminRoles: ['ops'], users: { olga: ['ops'], alice: ['dev'] } },
    });
    for (const prefix of [active, old]) await new RedisCacheStoreFactory(redis, { keyPrefix: `${prefix}:cache` }).getStore('toy').mergeAll('things', items(3));
  }, 30_000);
  afterAll(async () => {
    await server?.shutdown();
    for (const prefix of [active, old]) await deleteKeysMatching(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('refuses the active namespace with 409, non-admins with 403, and truncates another', async () => {
    const refused = await put(server, `/admin/db/truncate/${active}`, { 'x-spinnaker-user': 'olga' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('active cache namespace');
    expect(await redis.exists(`${active}:cache:toy:types`)).toBe(1);

    expect((await put(server, `/admin/db/truncate/${old}`, { 'x-spinnaker-user': 'alice' })).status).toBe(403);
    expect((await put(server, '/admin/db/truncate/bad*prefix', { 'x-spinnaker-user': 'olga' })).status).toBe(400);

    const done = await put(server, `/admin/db/truncate/${old}`, { 'x-spinnaker-user': 'olga' });
    expect(done).toMatchObject({ status: 200, body: { namespace: old, action: 'truncate', store: 'redis' } });
    expect(done.body.removed).toBeGreaterThan(0);
    expect(await redis.keys(`${old}:cache:*`)).toEqual([]);
    // The active cache is untouched.
    expect(await redis.exists(`${active}:cache:toy:types`)).toBe(1);
  });
});

describe('PUT /admin/db/* with no security.adminRoles (the default)', () => {
  const active = `stratus-test-admindb-default-${randomBytes(4).toString('hex')}`;
  const victim = `${active}-victim`;
  const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
  let server: RunningServer;

  beforeAll(async () => {
    server = await serve({
      redis: { enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: active, scheduler: { enabled: false }, taskRepository: { enabled: false } },
      security: { users: { olga: ['ops'] } },
    });
    await new RedisCacheStoreFactory(redis, { keyPrefix: `${victim}:cache` }).getStore('toy').mergeAll('things', items(3));
  }, 30_000);
  afterAll(async () => {
    await server?.shutdown();
    for (const prefix of [active, victim]) await deleteKeysMatching(redis, `${prefix}:*`);
    redis.disconnect();
  });

  it('refuses every caller, anonymous or not, with a 403 naming security.adminRoles, and deletes nothing', async () => {
    for (const headers of [{}, { 'x-spinnaker-user': 'olga' }] as Record<string, string>[]) {
      for (const action of ['truncate', 'drop']) {
        const refused = await put(server, `/admin/db/${action}/${victim}`, headers);
        expect(refused.status).toBe(403);
        expect(String(refused.body.message)).toContain('security.adminRoles');
      }
    }
    expect(await redis.exists(`${victim}:cache:toy:types`)).toBe(1);
  });
});

describe('PUT /admin/db/{truncate,drop}/{namespace} on PostgreSQL', () => {
  let postgres: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    postgres = await createTestDatabase('postgres');
    for (const namespace of ['green', 'blue', 'busy']) {
      const database = createSqlDatabase({ url: postgres.url, tableNamespace: namespace, maxConnections: 1 });
      await migrateSqlDatabase(database);
      await new SqlCacheStoreFactory(database, { ownsDatabase: false }).getStore('toy').mergeAll('things', items(2));
      if (namespace === 'busy') await new SqlTaskRepository(database).create('ORCHESTRATION', 'x', 'admin-db-busy', 'n');
      await database.close();
    }
    server = await serve({
      sql: { enabled: true, tableNamespace: 'green', connectionPools: { default: { url: postgres.url } }, cache: { enabled: true } },
      security: { adminRoles: ['ops'], users: { olga: ['ops'] } },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.shutdown();
    await postgres?.drop();
  });

  const countRows = async (table: string) => {
    const database = createSqlDatabase({ url: postgres.url, maxConnections: 1 });
    try {
      return Number((await database.rows<{ n: string }>(`select count(*) as n from ${table}`, []))[0]!.n);
    } catch {
      return -1; // no such table
    } finally {
      await database.close();
    }
  };

  it('truncates and drops another table namespace, never the active one or one holding tasks', async () => {
    expect((await put(server, '/admin/db/drop/green', ADMIN)).status).toBe(409);
    expect((await put(server, '/admin/db/truncate/Not-A-Namespace', ADMIN)).status).toBe(400);

    expect((await put(server, '/admin/db/truncate/blue', ADMIN)).body).toMatchObject({ action: 'truncate', store: 'postgres', removed: 3 });
    expect(await countRows('blue_cache_items')).toBe(0);
    expect(await countRows('green_cache_items')).toBe(2);

    const busy = await put(server, '/admin/db/drop/busy', ADMIN);
    expect(busy.status).toBe(409);
    expect(JSON.stringify(busy.body)).toContain('still holds 1 task(s)');
    expect(await countRows('busy_cache_items')).toBe(2);

    expect((await put(server, '/admin/db/drop/blue', ADMIN)).status).toBe(200);
    expect(await countRows('blue_cache_items')).toBe(-1);
    expect(await countRows('blue_stratus_migrations')).toBe(-1);
    expect(await countRows('green_cache_items')).toBe(2);
  });
});
