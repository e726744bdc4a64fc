import { StorageConfigError } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { sqlStorageAdapter, sqlStorageModule } from './sql-storage-adapter.js';

const sqlite = { connectionPools: { default: { url: 'sqlite::memory:' } } };

describe('sqlStorageAdapter', () => {
  it('serves each concern only when sql.enabled and that concern are on', () => {
    const config = { sql: { enabled: true, ...sqlite, cache: { enabled: true } } };
    expect(sqlStorageAdapter.enabledFor('cache', config)).toBe(true);
    expect(sqlStorageAdapter.enabledFor('tasks', config)).toBe(false);
    expect(sqlStorageAdapter.enabledFor('accounts', config)).toBe(false);
    expect(sqlStorageAdapter.enabledFor('cache', { sql: { cache: { enabled: true } } })).toBe(false);
  });

  it('names bad fields with the sql. prefix, as a config error and for config validate', () => {
    expect(() => sqlStorageAdapter.enabledFor('cache', { sql: { enabled: true, cache: { enabled: true } } })).toThrow(StorageConfigError);
    expect(() => sqlStorageAdapter.enabledFor('cache', { sql: { enabled: true, cache: { enabled: true } } })).toThrow(
      /sql\.connectionPools\.default\.url: required when sql\.enabled is true/,
    );
    expect(sqlStorageAdapter.checkConfig({ sql: { enabled: true, ...sqlite, cache: { enabled: true, readBatchSize: -1 } } })).toEqual([
      expect.stringMatching(/^sql\.cache\.readBatchSize: /),
    ]);
    // A disabled block is not checked beyond its switch.
    expect(sqlStorageAdapter.checkConfig({ sql: { enabled: false, cache: { readBatchSize: -1 } } })).toEqual([]);
  });

  it('owns the sql section switch and is offered as the storage.sql module', () => {
    expect(sqlStorageAdapter.configSection.key).toBe('sql');
    expect(sqlStorageAdapter.configSection.schema.safeParse(undefined)).toEqual({ success: true, data: { enabled: false } });
    expect(sqlStorageAdapter.configSection.schema.safeParse({ enabled: 'yes' }).success).toBe(false);
    expect(sqlStorageModule.id).toBe('storage.sql');
    expect(sqlStorageModule.adapter).toBe(sqlStorageAdapter);
  });
});
