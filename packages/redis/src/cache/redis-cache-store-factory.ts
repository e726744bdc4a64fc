import type { CacheStoreFactory } from '@stratus/core';
import type { Redis } from 'ioredis';
import { closeRedis, deleteKeysMatching, pingRedis } from '../connection/redis-client.js';
import { RespWritePipeline, respOptionsOf } from '../connection/resp-write-pipeline.js';
import { DEFAULT_REDIS_CACHE_OPTIONS, type RedisCacheOptions } from './redis-cache-options.js';
import { RedisCacheStore } from './redis-cache-store.js';

export interface RedisCacheStoreFactoryOptions extends Partial<RedisCacheOptions> {
  /** Close the connection in `close()` (true when the factory created it). */
  readonly ownsConnection?: boolean;
  readonly now?: () => number;
}

/** One {@link RedisCacheStore} per namespace, all sharing one connection (ioredis pipelines them). */
export class RedisCacheStoreFactory implements CacheStoreFactory {
  readonly kind = 'redis';
  private readonly stores = new Map<string, RedisCacheStore>();
  private readonly options: RedisCacheOptions;
  /** The cache's bulk writes go over a second, write-only connection to the same server (always owned). */
  private readonly writer: RespWritePipeline;

  constructor(
    readonly redis: Redis,
    private readonly factoryOptions: RedisCacheStoreFactoryOptions = {},
  ) {
    const { ownsConnection: _owns, now: _now, ...cacheOptions } = factoryOptions;
    this.options = { ...DEFAULT_REDIS_CACHE_OPTIONS, ...cacheOptions };
    const name = redis.options.connectionName;
    this.writer = new RespWritePipeline(respOptionsOf(redis, name ? `${name}-writer` : 'stratus-cache-writer'));
  }

  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  getStore(namespace: string): RedisCacheStore {
    let store = this.stores.get(namespace);
    if (!store) this.stores.set(namespace, (store = new RedisCacheStore(this.redis, this.writer, namespace, this.options, this.factoryOptions.now)));
    return store;
  }

  ping(): Promise<void> {
    return pingRedis(this.redis);
  }

  /** Deletes every key under this factory's prefix (tests, and resetting a disposable cache). */
  async purgeAll(): Promise<number> {
    return deleteKeysMatching(this.redis, `${this.options.keyPrefix}:*`);
  }

  async close(): Promise<void> {
    this.writer.close();
    if (this.factoryOptions.ownsConnection ?? false) await closeRedis(this.redis);
  }
}
