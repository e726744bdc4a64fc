import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { runSchedulerContract } from '@stratus/testing';
import { createSqlDatabase } from '../database/create-sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlAgentScheduler } from './sql-agent-scheduler.js';

const databases = new Map<string, Promise<TestDatabase>>();

/** One migrated database per dialect for the whole file; each fixture gets its own pool. */
function databaseFor(dialect: 'postgres' | 'mysql'): Promise<TestDatabase> {
  let created = databases.get(dialect);
  if (!created) {
    created = (async () => {
      const testDb = await createTestDatabase(dialect);
      const database = createSqlDatabase({ url: testDb.url, maxConnections: 1 });
      await migrateSqlDatabase(database);
      await database.close();
      return testDb;
    })();
    databases.set(dialect, created);
  }
  return created;
}

afterAll(async () => {
  for (const created of databases.values()) await (await created).drop();
});

for (const dialect of testDialects(['postgres', 'mysql'])) {
  runSchedulerContract(`sql (${dialect})`, async (options) => {
    const testDb = await databaseFor(dialect as 'postgres' | 'mysql');
    const database = createSqlDatabase({ url: testDb.url, maxConnections: 3 });
    const scheduler = new SqlAgentScheduler(database, {
      nodeId: `node-${randomUUID().slice(0, 8)}`,
      tickMs: 50,
      ...options,
    });
    return {
      scheduler,
      cleanup: async () => {
        await scheduler.stop(1000);
        await database.affected(`delete from ${database.tables.agentLocks}`, []);
        await database.close();
      },
    };
  });
}
