import { StorageConfigError, redactStoreUrl, splitStoreUrl } from '@stratus/core';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../connection/redis-client.js';

/** A connection opened from a store URL, with the key prefix it named. */
export interface RedisStoreUrl {
  readonly redis: Redis;
  /** `redis.keyPrefix` of the store: `?prefix=`, else `defaultPrefix`, else `stratus`. */
  readonly keyPrefix: string;
  /** `redis <url without password> prefix=<prefix>`, for logs and reports. */
  readonly description: string;
}

/**
 * Opens the Redis store a URL names (`redis://host:6379/0?prefix=stratus`, `rediss://` too), for a
 * second connection besides the configured one (migrations, a dual task repository's other side).
 */
export function openRedisStoreUrl(spec: string, options: { readonly connectionName: string; readonly defaultPrefix?: string }): RedisStoreUrl {
  const { url, params } = splitStoreUrl(spec, ['prefix']);
  const keyPrefix = params.prefix ?? options.defaultPrefix ?? 'stratus';
  if (!/^[^\s*?[\]]+$/.test(keyPrefix)) throw new StorageConfigError(`prefix: '${keyPrefix}' must not contain spaces or glob characters`);
  const redis = createRedisClient({ url, connectionName: options.connectionName });
  return { redis, keyPrefix, description: `redis ${redactStoreUrl(url)} prefix=${keyPrefix}` };
}
