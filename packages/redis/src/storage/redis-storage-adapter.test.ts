import { StorageConfigError } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { redisStorageAdapter, redisStorageModule } from './redis-storage-adapter.js';

describe('redisStorageAdapter', () => {
  it('serves cache, scheduler and tasks once redis.enabled, each switchable, never stored accounts', () => {
    const config = { redis: { enabled: true, connection: 'redis://127.0.0.1:6379', taskRepository: { enabled: false } } };
    expect(redisStorageAdapter.enabledFor('cache', config)).toBe(true);
    expect(redisStorageAdapter.enabledFor('scheduler', config)).toBe(true);
    expect(redisStorageAdapter.enabledFor('tasks', config)).toBe(false);
    expect(redisStorageAdapter.enabledFor('accounts', config)).toBe(false);
    expect(redisStorageAdapter.enabledFor('cache', { redis: { enabled: false } })).toBe(false);
  });

  it('reports bad fields as config errors naming them, and checks the sharding block before serving the scheduler', () => {
    const bad = { redis: { enabled: true, poll: { timeoutSeconds: -1 } } };
    expect(() => redisStorageAdapter.enabledFor('cache', bad)).toThrow(StorageConfigError);
    expect(redisStorageAdapter.checkConfig(bad)).toEqual([expect.stringMatching(/redis\.poll\.timeoutSeconds/)]);
    expect(redisStorageAdapter.checkConfig({ redis: { enabled: false, poll: { timeoutSeconds: -1 } } })).toEqual([]);
    const sharding = { redis: { enabled: true }, 'cache-sharding': { enabled: 'maybe' } };
    expect(() => redisStorageAdapter.enabledFor('scheduler', sharding)).toThrow(/cache-sharding\.enabled/);
    expect(redisStorageAdapter.enabledFor('cache', sharding)).toBe(true);
  });

  it('owns the redis section switch and is offered as the storage.redis module', () => {
    expect(redisStorageAdapter.configSection.key).toBe('redis');
    expect(redisStorageAdapter.configSection.schema.safeParse(undefined)).toEqual({ success: true, data: { enabled: false } });
    expect(redisStorageModule.id).toBe('storage.redis');
    expect(redisStorageModule.adapter).toBe(redisStorageAdapter);
  });
});
