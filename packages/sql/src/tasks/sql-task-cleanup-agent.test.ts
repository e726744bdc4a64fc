import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlTaskCleanupAgent } from './sql-task-cleanup-agent.js';
import { SqlTaskRepository } from './sql-task-repository.js';

const DAY = 24 * 3600 * 1000;

describe.each(testDialects())('SqlTaskCleanupAgent on %s', (dialect) => {
  let testDb: TestDatabase;
  let database: SqlDatabase;
  let clock = 100 * DAY;
  let repo: SqlTaskRepository;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = createSqlDatabase({ url: testDb.url, maxConnections: 2 });
    await migrateSqlDatabase(database);
    repo = new SqlTaskRepository(database, { now: () => clock });
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('deletes tasks completed more than the TTL ago, in batches, and keeps the rest', async () => {
    const make = async (label: string, state?: 'COMPLETED' | 'FAILED') => {
      const { task } = await repo.create('ORCHESTRATION', 'init', label, 'node');
      await repo.addResultObjects(task.id, [{ label }]);
      await repo.addOutput(task.id, { label });
      if (state) await repo.appendStatus(task.id, 'ORCHESTRATION', 'done', state);
      return task.id;
    };
    const old = [];
    for (let i = 0; i < 5; i++) old.push(await make(`old-${i}`, i % 2 ? 'FAILED' : 'COMPLETED'));
    const oldRunning = await make('old-running');
    clock += 3 * DAY;
    const recent = await make('recent', 'COMPLETED');
    clock += 1.5 * DAY;

    const agent = new SqlTaskCleanupAgent(repo, { batchSize: 2, now: () => clock });
    const outcome = await agent.execute({ signal: new AbortController().signal, guardedWrite: (write) => write() });
    expect(outcome.itemsEvicted).toBe(5);
    for (const id of old) expect(await repo.get(id)).toBeUndefined();
    expect(await repo.get(oldRunning)).toBeDefined();
    expect(await repo.get(recent)).toBeDefined();
    expect(await repo.getByClientRequestId('old-1')).toBeUndefined();
    for (const table of [database.tables.taskStates, database.tables.taskResults, database.tables.taskOutputs]) {
      const rows = await database.rows<{ n: number | string }>(`select count(*) as n from ${table}`, []);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      const orphans = await database.rows(`select task_id from ${table} where task_id not in (select id from ${database.tables.tasks})`, []);
      expect(orphans).toEqual([]);
    }
  });

  it('truncates very long statuses and treats updateOwnerId to the same owner as found', async () => {
    const { task } = await repo.create('P', 'x'.repeat(20_000), 'long-status', 'node');
    expect((await repo.get(task.id))!.history[0]!.status).toHaveLength(10_000);
    await repo.updateOwnerId(task.id, 'node');
    await expect(repo.updateOwnerId('nope', 'node')).rejects.toThrow(/not found/);
  });
});
