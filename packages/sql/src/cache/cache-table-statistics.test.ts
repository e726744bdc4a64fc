import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheData } from '@stratus/plugin-api';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { testDialects } from '../test-support/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { SqlCacheStoreFactory } from './sql-cache-store-factory.js';

const instance = (n: number): CacheData => ({
  id: `synthetic:instances:acct:us-east-1:i-${String(n).padStart(8, '0')}`,
  attributes: { application: 'orders', n },
  relationships: {},
  ttlSeconds: -1,
});

describe.each(testDialects(['postgres', 'mysql']))('cache table statistics on %s', (dialect) => {
  let testDb: TestDatabase;
  let database: SqlDatabase;
  let clock = 1_000_000;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    database = createSqlDatabase({ url: testDb.url, maxConnections: 3 });
    await migrateSqlDatabase(database);
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  it('refreshes after a large merge, throttles small ones, and runs again once the table doubled', async () => {
    const factory = new SqlCacheStoreFactory(database, { ownsDatabase: false, now: () => clock });
    const store = factory.getStore('stats');
    await store.mergeAll(
      'instances',
      Array.from({ length: 300 }, (_, n) => instance(n)),
    );
    await factory.statistics!.idle();
    expect(factory.statistics!.runs).toBe(0); // under 1,000 rows written

    await store.mergeAll(
      'instances',
      Array.from({ length: 3000 }, (_, n) => instance(1000 + n)),
    );
    await factory.statistics!.idle();
    expect(factory.statistics!.runs).toBe(1);

    await store.mergeAll(
      'instances',
      Array.from({ length: 1500 }, (_, n) => instance(10_000 + n)),
    );
    await factory.statistics!.idle();
    expect(factory.statistics!.runs).toBe(1); // within the interval and the table did not double

    await store.mergeAll(
      'instances',
      Array.from({ length: 2000 }, (_, n) => instance(20_000 + n)),
    );
    await factory.statistics!.idle();
    expect(factory.statistics!.runs).toBe(2); // 3,500 written since the last run ≥ 3,300 written before it

    clock += 61_000;
    await store.mergeAll(
      'instances',
      Array.from({ length: 1000 }, (_, n) => instance(30_000 + n)),
    );
    await factory.statistics!.idle();
    expect(factory.statistics!.runs).toBe(3);
    await factory.close();
  });

  it.runIf(dialect === 'postgres')('without the refresh id batches filter an index scan; after it they do not', async () => {
    const scratch = await createTestDatabase(dialect);
    const db = createSqlDatabase({ url: scratch.url, maxConnections: 2 });
    try {
      await migrateSqlDatabase(db);
      const plan = async () => {
        const ids = Array.from({ length: 500 }, (_, n) => instance(n * 7).id);
        const text = db.statement(`explain select id from ${db.tables.cacheItems} where ns = ? and type = ? and id = any(?::text[]) and attributes <> ''`);
        return (await db.rows<{ 'QUERY PLAN': string }>(text, ['plan', 'instances', ids])).map((row) => row['QUERY PLAN']).join('\n');
      };
      const unmanaged = new SqlCacheStoreFactory(db, { ownsDatabase: false, refreshStatistics: false });
      await unmanaged.getStore('plan').mergeAll(
        'instances',
        Array.from({ length: 20_000 }, (_, n) => instance(n)),
      );
      // No statistics (autovacuum off): the application index, with the ids as a filter over every row of the type.
      expect(await plan()).toMatch(/Filter: .*id\)::text = ANY/);
      const managed = new SqlCacheStoreFactory(db, { ownsDatabase: false });
      await managed.getStore('plan').mergeAll(
        'instances',
        Array.from({ length: 20_000 }, (_, n) => instance(100_000 + n)),
      );
      await managed.statistics!.idle();
      expect(managed.statistics!.runs).toBe(1);
      expect(await plan()).not.toMatch(/Index Scan using \w+_app .*\n.*Filter: .*id\)::text = ANY/);
    } finally {
      await db.close();
      await scratch.drop();
    }
  });
});
