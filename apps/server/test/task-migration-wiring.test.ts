import { createTestDatabase } from '@stratus/sql/testing';
import { describe, expect, it } from 'vitest';
import { createStorage } from '../src/adapters/create-storage.js';
import { memoryStorageAdapter } from '@stratus/core';
import { ConfigError } from '../src/config/config-error.js';
import { testStorageContext } from './support/test-storage-context.js';

const context = (raw: Record<string, unknown>, closers: (() => unknown)[]) => testStorageContext(raw, { closers, nodeId: 'wiring-node' });

describe('dual task repository wiring with store URLs', () => {
  it('takes a second SQL connection by URL as primary and keeps working while the previous store is down', async () => {
    const postgres = await createTestDatabase('postgres');
    const closers: (() => unknown)[] = [];
    try {
      // Nothing listens on port 1: the previous Redis is "down".
      const storage = await createStorage(
        [memoryStorageAdapter],
        context(
          { dualTaskRepository: { enabled: true, primary: postgres.url, previous: 'redis://127.0.0.1:1/0?prefix=gone', previousTimeoutMs: 300 } },
          closers,
        ),
      );
      const tasks = storage.taskRepository;
      expect(tasks.kind).toBe('dual(sql-postgres<-redis)');
      expect(storage.adapters.tasks).toContain('dual(');
      const { task, created } = await tasks.create('ORCHESTRATION', 'Initializing', 'wiring-1', 'wiring-node');
      expect(created).toBe(true);
      expect((await tasks.get(task.id))?.requestId).toBe('wiring-1');
      expect((await tasks.getByClientRequestId('wiring-1'))?.id).toBe(task.id);
      expect((await tasks.create('ORCHESTRATION', 'again', 'wiring-1', 'wiring-node')).task.id).toBe(task.id);
      expect((await tasks.listRunning()).map((t) => t.id)).toEqual([task.id]);
      await tasks.appendStatus(task.id, 'DONE', 'done', 'COMPLETED');
      await expect(tasks.ping()).resolves.toBeUndefined();
    } finally {
      for (const close of closers.reverse()) await close();
      await postgres.drop();
    }
  }, 30_000);

  it('names the key when a store URL is unusable', async () => {
    const closers: (() => unknown)[] = [];
    await expect(
      createStorage(
        [memoryStorageAdapter],
        context({ dualTaskRepository: { enabled: true, primary: 'redis://127.0.0.1:6379/0?prefix=a*b', previous: 'memory' } }, closers),
      ),
    ).rejects.toThrow(ConfigError);
    await expect(
      createStorage(
        [memoryStorageAdapter],
        context({ dualTaskRepository: { enabled: true, primary: 'redis://127.0.0.1:6379/0?prefix=a*b', previous: 'memory' } }, closers),
      ),
    ).rejects.toThrow(/dualTaskRepository\.primary: prefix: 'a\*b' must not contain/);
  });
});
