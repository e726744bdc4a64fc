import { afterAll } from 'vitest';
import { runTaskRepositoryContract } from '@stratus/testing';
import { createSqlDatabase } from '../database/create-sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import type { SqlDialectName } from '../dialects/sql-dialect-name.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlTaskRepository } from './sql-task-repository.js';

const databases = new Map<SqlDialectName, Promise<TestDatabase>>();

/** One migrated database per dialect for the file; the contract uses unique request ids. */
function databaseFor(dialect: SqlDialectName): Promise<TestDatabase> {
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

for (const dialect of testDialects()) {
  runTaskRepositoryContract(`sql (${dialect})`, async () => {
    const database = createSqlDatabase({ url: (await databaseFor(dialect)).url, maxConnections: 4 });
    const repository = new SqlTaskRepository(database, { ownsDatabase: true });
    return { repository, cleanup: () => repository.close() };
  });
}
