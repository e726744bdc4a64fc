import { StorageConfigError } from '@stratus/core';
import { describe, expect, it } from 'vitest';
import { openRedisStoreUrl } from './open-redis-store-url.js';

describe('openRedisStoreUrl', () => {
  it('takes prefix off the URL (or the default) and connects with the rest', async () => {
    const opened = openRedisStoreUrl('redis://127.0.0.1:6379/0?prefix=stratus-url-test', { connectionName: 'stratus-url-test', defaultPrefix: 'unused' });
    try {
      expect(opened.keyPrefix).toBe('stratus-url-test');
      expect(opened.description).toBe('redis redis://127.0.0.1:6379/0 prefix=stratus-url-test');
      expect(await opened.redis.ping()).toBe('PONG');
    } finally {
      opened.redis.disconnect();
    }
    const fallback = openRedisStoreUrl('redis://127.0.0.1:6379/0', { connectionName: 'stratus-url-test', defaultPrefix: 'fromconfig' });
    expect(fallback.keyPrefix).toBe('fromconfig');
    fallback.redis.disconnect();
  });

  it('refuses a prefix with glob characters as a config error, before connecting', () => {
    expect(() => openRedisStoreUrl('redis://127.0.0.1:1/0?prefix=a*b', { connectionName: 'x' })).toThrow(StorageConfigError);
    expect(() => openRedisStoreUrl('redis://127.0.0.1:1/0?prefix=a*b', { connectionName: 'x' })).toThrow(
      "prefix: 'a*b' must not contain spaces or glob characters",
    );
  });
});
