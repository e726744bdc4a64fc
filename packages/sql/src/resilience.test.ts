import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlCacheStoreFactory } from './cache/sql-cache-store-factory.js';
import { createSqlDatabase } from './database/create-sql-database.js';
import type { SqlDatabase } from './database/sql-database.js';
import { SqlUnavailableError } from './database/sql-unavailable-error.js';
import { migrateSqlDatabase } from './migrations/migrate-sql-database.js';
import { SqlAgentScheduler } from './scheduler/sql-agent-scheduler.js';
import { SqlTaskRepository } from './tasks/sql-task-repository.js';
import { testDialects } from './test-support/dialects.js';
import { TcpProxy } from './test-support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(check)
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(testDialects(['postgres', 'mysql']))('a %s outage', (dialect) => {
  let testDb: TestDatabase;
  let proxy: TcpProxy;
  let database: SqlDatabase;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    const direct = createSqlDatabase({ url: testDb.url, maxConnections: 1 });
    await migrateSqlDatabase(direct);
    await direct.close();
    const target = new URL(testDb.url);
    proxy = await TcpProxy.open(Number(target.port));
    target.port = String(proxy.port);
    database = createSqlDatabase({ url: target.toString(), maxConnections: 3, connectTimeoutMs: 1_000, pingTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.stop();
    await testDb?.drop();
  });

  it('fails ping and rejects reads with a 503-style error, then recovers by itself', async () => {
    const factory = new SqlCacheStoreFactory(database, { ownsDatabase: false });
    const store = factory.getStore('aws');
    const tasks = new SqlTaskRepository(database);
    const scheduler = new SqlAgentScheduler(database, { nodeId: 'resilient', tickMs: 50 });
    let runs = 0;
    scheduler.schedule(
      { agentType: 'acct/steady', providerName: 'p', intervalMs: 100, timeoutMs: 2_000 },
      {
        execute: async (context) => {
          await context.guardedWrite(async () => void runs++);
          return {};
        },
      },
    );
    scheduler.start();
    try {
      await store.mergeAll('serverGroups', [{ id: 'sg-1', attributes: { application: 'app' }, relationships: {}, ttlSeconds: -1 }]);
      const { task } = await tasks.create('P', 'init', `outage-${dialect}`, 'n');
      await factory.ping();
      await eventually(() => runs > 0, 5_000, 'a scheduled run');

      await proxy.stop();
      const pingError = await rejection(factory.ping());
      expect(pingError).toBeInstanceOf(SqlUnavailableError);
      const readError = await rejection(store.getAll('serverGroups', ['sg-1']));
      expect(readError).toBeInstanceOf(SqlUnavailableError);
      expect((readError as SqlUnavailableError).status).toBe(503);
      expect((readError as Error).message).toMatch(/SQL database unavailable during cache read/);
      expect(await rejection(tasks.get(task.id))).toBeInstanceOf(SqlUnavailableError);
      expect(await rejection(store.mergeAll('serverGroups', [{ id: 'sg-2', attributes: { a: 1 }, relationships: {}, ttlSeconds: -1 }]))).toBeInstanceOf(
        SqlUnavailableError,
      );
      const runsDuringOutage = runs;
      await sleep(300);
      expect(runs).toBe(runsDuringOutage);

      await proxy.start();
      await eventually(() => factory.ping().then(() => true), 10_000, 'ping to succeed again');
      expect((await store.getAll('serverGroups', ['sg-1'])).map((d) => d.id)).toEqual(['sg-1']);
      expect((await tasks.get(task.id))?.requestId).toBe(`outage-${dialect}`);
      await eventually(() => runs > runsDuringOutage, 10_000, 'the scheduler to run again');
    } finally {
      await scheduler.stop(1_000);
    }
  });
});
