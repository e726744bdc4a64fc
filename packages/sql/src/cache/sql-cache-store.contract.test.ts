import { runCacheStoreContract } from '@stratus/testing';
import { createSqlDatabase } from '../database/create-sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase } from '../test-support/test-database.js';
import { SqlCacheStoreFactory } from './sql-cache-store-factory.js';

for (const dialect of testDialects()) {
  runCacheStoreContract(`sql (${dialect})`, async () => {
    const testDb = await createTestDatabase(dialect);
    const database = createSqlDatabase({ url: testDb.url, maxConnections: 3 });
    await migrateSqlDatabase(database);
    const factory = new SqlCacheStoreFactory(database);
    return {
      factory,
      cleanup: async () => {
        await factory.close();
        await testDb.drop();
      },
    };
  });
}
