import { afterAll, describe, expect, it } from 'vitest';
import { createSqlAdapters } from './create-sql-adapters.js';
import { createTestDatabase, type TestDatabase } from './test-support/test-database.js';

describe('createSqlAdapters', () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of created) await db.drop();
  });

  it('returns nothing unless sql.enabled and a concern are on', async () => {
    expect(await createSqlAdapters({}, { nodeId: 'n' })).toBeUndefined();
    expect(await createSqlAdapters({ enabled: true, connectionPools: { default: { url: 'sqlite::memory:' } } }, { nodeId: 'n' })).toBeUndefined();
  });

  it('migrates and builds the enabled adapters over one pool (SQLite: cache + tasks)', async () => {
    const testDb = await createTestDatabase('sqlite');
    created.push(testDb);
    const adapters = (await createSqlAdapters(
      { enabled: true, connectionPools: { default: { url: testDb.url } }, cache: { enabled: true }, taskRepository: { enabled: true } },
      { nodeId: 'n' },
    ))!;
    try {
      expect(adapters.cacheStoreFactory?.kind).toBe('sqlite');
      expect(adapters.scheduler).toBeUndefined();
      const store = adapters.cacheStoreFactory!.getStore('aws');
      await store.mergeAll('serverGroups', [{ id: 'sg', attributes: { application: 'app' }, relationships: {}, ttlSeconds: -1 }]);
      expect((await store.getAllByApplication('serverGroups', 'app')).map((d) => d.id)).toEqual(['sg']);
      const { task } = await adapters.taskRepository!.create('P', 's', 'rid', 'n');
      expect((await adapters.taskRepository!.get(task.id))?.requestId).toBe('rid');
      expect(adapters.taskCleanupAgent?.agentType).toBe('SqlTaskCleanupAgent');
      await adapters.cacheStoreFactory!.ping();
    } finally {
      await adapters.close();
    }
  });

  it('skips migrations when sql.migrate is false', async () => {
    const testDb = await createTestDatabase('sqlite');
    created.push(testDb);
    const adapters = (await createSqlAdapters(
      { enabled: true, migrate: false, connectionPools: { default: { url: testDb.url } }, cache: { enabled: true } },
      { nodeId: 'n' },
    ))!;
    try {
      await expect(adapters.cacheStoreFactory!.getStore('aws').ids('serverGroups')).rejects.toThrow(/no such table/);
    } finally {
      await adapters.close();
    }
  });
});
