import { afterAll, describe, expect, it } from 'vitest';
import { createSqlDatabase } from '../database/create-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { migrateSqlDatabase } from './migrate-sql-database.js';

describe.each(testDialects())('migrations on %s', (dialect) => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of created) await db.drop();
  });

  it('two replicas migrating at once both succeed and apply each migration once', async () => {
    const testDb = await createTestDatabase(dialect);
    created.push(testDb);
    const replicas = [1, 2, 3].map(() => createSqlDatabase({ url: testDb.url, maxConnections: 2, tableNamespace: 'blue' }));
    try {
      const results = await Promise.all(replicas.map((db) => migrateSqlDatabase(db)));
      const applied = results.flatMap((r) => (r.results ?? []).filter((m) => m.status === 'Success').map((m) => m.migrationName));
      expect(applied.sort()).toEqual(['0001_cache', '0002_agent_locks', '0003_tasks', '0004_task_leases', '0005_task_scope']);
      const again = await migrateSqlDatabase(replicas[0]!);
      expect(again.results).toEqual([]);
      const rows = await replicas[0]!.rows<{ name: string }>(`select name from ${replicas[0]!.tables.migrations} order by name`, []);
      expect(rows.map((r) => r.name)).toEqual(['0001_cache', '0002_agent_locks', '0003_tasks', '0004_task_leases', '0005_task_scope']);
      // Every table carries the namespace prefix; a second namespace gets its own tables.
      await replicas[0]!.rows(`select count(*) as n from blue_cache_items`, []);
      const green = createSqlDatabase({ url: testDb.url, maxConnections: 1, tableNamespace: 'green' });
      replicas.push(green);
      expect((await migrateSqlDatabase(green)).results).toHaveLength(5);
      await green.rows(`select count(*) as n from green_tasks`, []);
    } finally {
      for (const db of replicas) await db.close();
    }
  });
});
