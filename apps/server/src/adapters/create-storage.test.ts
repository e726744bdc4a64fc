import { MemoryCacheStoreFactory, memoryStorageAdapter, type StorageAdapter } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { createStorage } from './create-storage.js';
import { testStorageContext } from '../../test/support/test-storage-context.js';

const context = (raw: Record<string, unknown>) => testStorageContext(raw);

/** A shared cache store only, switched on by `fake.enabled` in the (loose) config. */
const fakeCacheAdapter: StorageAdapter = {
  name: 'fake',
  enabledFor: (concern, config) => concern === 'cache' && (config as Record<string, { enabled?: boolean } | undefined>).fake?.enabled === true,
  createCacheStoreFactory: () => Object.assign(new MemoryCacheStoreFactory(), { kind: 'fake' }),
};

describe('createStorage', () => {
  it('uses memory for everything by default', async () => {
    const storage = await createStorage([memoryStorageAdapter], context({}));
    expect(storage.adapters).toEqual({ cache: 'memory', scheduler: 'memory', tasks: 'memory', accounts: 'memory' });
    expect(storage.scheduler.kind).toBe('single-node');
  });

  it('picks the first enabled adapter per concern and keeps stored accounts in a shared cache store', async () => {
    const storage = await createStorage([fakeCacheAdapter, memoryStorageAdapter], context({ fake: { enabled: true } }));
    expect(storage.adapters).toEqual({ cache: 'fake', scheduler: 'memory', tasks: 'memory', accounts: 'fake (cache store)' });
    await storage.accountDefinitionStore.save({ name: 'k', type: 'kubernetes' });
    expect(await storage.accountDefinitionStore.list()).toEqual([{ name: 'k', type: 'kubernetes' }]);
    expect(await storage.cacheStoreFactory.getStore('stratusAccounts').ids('accountDefinitions')).toEqual(['k']);

    const off = await createStorage([fakeCacheAdapter, memoryStorageAdapter], context({ fake: { enabled: false } }));
    expect(off.adapters.cache).toBe('memory');
  });

  it('wraps two task repositories when dualTaskRepository is enabled', async () => {
    const storage = await createStorage([memoryStorageAdapter], context({ dualTaskRepository: { enabled: true, primary: 'memory', previous: 'memory' } }));
    expect(storage.adapters.tasks).toBe('dual(memory<-memory)');
    expect(storage.taskRepository.kind).toBe('dual(memory<-memory)');
  });

  it('names the key when config asks for an adapter this build does not have', async () => {
    await expect(createStorage([memoryStorageAdapter], context({ redis: { enabled: true } }))).rejects.toThrow(
      new ConfigError('Invalid configuration: redis.enabled: the redis storage adapter is not available in this server build'),
    );
    await expect(
      createStorage([memoryStorageAdapter], context({ dualTaskRepository: { enabled: true, primary: 'memory', previous: 'cassandra' } })),
    ).rejects.toThrow('dualTaskRepository.previous: no task repository adapter named "cassandra" (known: memory)');
  });
});
