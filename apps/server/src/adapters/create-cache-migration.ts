import { DualWriteCacheStoreFactory, type CacheStoreFactory } from '@stratus/core';
import { ConfigError } from '../config/config-error.js';
import { openCacheStore } from '../migration/open-cache-store.js';
import type { StorageContext } from './storage-context.js';

/**
 * With `caching.migration.target` set, the cache store factory writes to the configured store and
 * to the target (reads stay on the configured one); otherwise `current` unchanged.
 */
export async function withCacheMigration(current: CacheStoreFactory, context: StorageContext): Promise<CacheStoreFactory> {
  const spec = context.config.caching.migration?.target;
  if (!spec) return current;
  let target;
  try {
    target = await openCacheStore(spec, { migrate: true });
  } catch (error) {
    throw new ConfigError(`Invalid configuration: caching.migration.target: ${error instanceof Error ? error.message : String(error)}`);
  }
  const logger = context.logger.child({ component: 'cache-migration' });
  logger.warn({ target: target.description }, 'cache migration: every cache write also goes to the target store; reads stay on the current one');
  return new DualWriteCacheStoreFactory(current, target.factory, {
    logger,
    failures: context.metrics.counter('cache_migration_write_failures_total', 'Cache writes that did not reach the migration target store', ['operation']),
  });
}
