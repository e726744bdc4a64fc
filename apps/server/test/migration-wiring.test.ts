import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeTrackingCacheStoreFactory, DualWriteCacheStoreFactory, DualWriteTaskRepository } from '@stratus/core';
import { createRedisClient, deleteKeysMatching } from '@stratus/redis';
import { createTestDatabase } from '@stratus/sql/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createStorage } from '../src/adapters/create-storage.js';
import { STORAGE_ADAPTERS } from '../src/modules/storage-adapter-modules.js';
import { parseConfig } from '../src/config/load-config.js';
import { openCacheStore } from '../src/migration/open-cache-store.js';
import { testStorageContext } from './support/test-storage-context.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-migration-wiring-'));
const redis = createRedisClient({ url: 'redis://127.0.0.1:6379/0' });
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeysMatching(redis, `${prefix}:*`);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const context = (raw: Record<string, unknown>, closers: (() => unknown)[]) => testStorageContext(raw, { closers, nodeId: 'wiring-node' });

async function closeAll(closers: (() => unknown)[]): Promise<void> {
  for (const close of closers.reverse()) await close();
}

describe('migration settings wiring', () => {
  it('dualTaskRepository.mode: dual-write keeps creating tasks while the previous store is down, queueing the copy in the file', async () => {
    const closers: (() => unknown)[] = [];
    const file = join(dir, 'queue.json');
    try {
      const storage = await createStorage(
        STORAGE_ADAPTERS,
        context(
          {
            dualTaskRepository: {
              enabled: true,
              mode: 'dual-write',
              primary: 'memory',
              previous: 'redis://127.0.0.1:1/0?prefix=gone', // nothing listens on port 1
              previousTimeoutMs: 300,
              retryQueue: { file, retryIntervalMs: 3_600_000 },
            },
          },
          closers,
        ),
      );
      const tasks = storage.taskRepository as DualWriteTaskRepository;
      expect(tasks).toBeInstanceOf(DualWriteTaskRepository);
      expect(storage.adapters.tasks).toBe('dual-write(memory->redis://127.0.0.1:1/0?prefix=gone)');
      const { task, created } = await tasks.create('ORCHESTRATION', 'Initializing', 'wiring-dw-1', 'wiring-node');
      expect(created).toBe(true);
      expect(tasks.status()).toMatchObject({ pendingCopies: 1, failedCopies: 1, retryQueueDurable: true });
      expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(1);
      expect(JSON.parse(readFileSync(file, 'utf8'))[0]).toContain(task.id);
    } finally {
      await closeAll(closers);
    }
  }, 30_000);

  it('caching.migration.target writes through to the target store, reads from the current one', async () => {
    const prefix = `stratus-test-cachewiring-${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    const closers: (() => unknown)[] = [];
    const target = `redis://127.0.0.1:6379/0?prefix=${prefix}`;
    try {
      const storage = await createStorage(STORAGE_ADAPTERS, context({ caching: { migration: { target } } }, closers));
      // Every store is wrapped by the read path's change tracking (view-cache invalidation); the migration is inside it.
      const factory = storage.cacheStoreFactory instanceof ChangeTrackingCacheStoreFactory ? storage.cacheStoreFactory.inner : storage.cacheStoreFactory;
      expect(factory).toBeInstanceOf(DualWriteCacheStoreFactory);
      const store = storage.cacheStoreFactory.getStore('wiring');
      await store.mergeAll('things', [{ id: 'thing-1', ttlSeconds: 0, attributes: { a: 1 }, relationships: {} }]);
      expect(await store.ids('things')).toEqual(['thing-1']);
      const opened = await openCacheStore(target);
      try {
        expect((await opened.factory.getStore('wiring').getAll('things', undefined)).map((item) => item.attributes)).toEqual([{ a: 1 }]);
        expect(await opened.namespaces()).toContain('wiring');
      } finally {
        await opened.close();
      }
      await storage.cacheStoreFactory.close();
    } finally {
      await closeAll(closers);
    }
  }, 30_000);

  it('scheduler.migration takes over the scheduler when both stores are configured, and says what is missing otherwise', async () => {
    const closers: (() => unknown)[] = [];
    await expect(createStorage(STORAGE_ADAPTERS, context({ scheduler: { migration: { source: 'redis', target: 'sql' } } }, closers))).rejects.toThrow(
      /scheduler\.migration: needs both redis\.enabled and sql\.enabled/,
    );
    expect(() => parseConfig({ scheduler: { migration: { source: 'sql', target: 'sql' } } })).toThrow(/source and target must differ/);
    const postgres = await createTestDatabase('postgres');
    const prefix = `stratus-test-schedwiring-${randomBytes(4).toString('hex')}`;
    prefixes.push(prefix);
    try {
      const storage = await createStorage(
        STORAGE_ADAPTERS,
        context(
          {
            redis: { enabled: true, connection: 'redis://127.0.0.1:6379/0', keyPrefix: prefix, cache: { enabled: false }, taskRepository: { enabled: false } },
            sql: { enabled: true, connectionPools: { default: { url: postgres.url } } },
            scheduler: { migration: { source: 'redis', target: 'sql' } },
          },
          closers,
        ),
      );
      expect(storage.scheduler.kind).toBe('migration(redis->sql)');
      expect(storage.adapters.scheduler).toBe('migration(redis->sql)');
    } finally {
      await closeAll(closers);
      await postgres.drop();
    }
  }, 30_000);
});
