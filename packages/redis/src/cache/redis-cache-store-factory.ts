import type { CacheStoreFactory } from '@stratus/core';
import type { Redis } from 'ioredis';
import { closeRedis, deleteKeysMatching, pingRedis } from '../connection/redis-client.js';
import { RespPipeline, respOptionsOf } from '../connection/resp-pipeline.js';
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
  /**
   * Bulk writes and item reads go over two more connections to the same server, as pre-encoded RESP
   * (always owned): writes never queue behind a large read, nor reads behind a cycle's writes.
   */
  private readonly writer: RespPipeline;
  private readonly reader: RespPipeline;

  constructor(
    readonly redis: Redis,
    private readonly factoryOptions: RedisCacheStoreFactoryOptions = {},
  ) {
    const { ownsConnection: _owns, now: _now, ...cacheOptions } = factoryOptions;
    this.options = { ...DEFAULT_REDIS_CACHE_OPTIONS, ...cacheOptions };
    const name = redis.options.connectionName;
    this.writer = new RespPipeline(respOptionsOf(redis, name ? `${name}-writer` : 'stratus-cache-writer'));
    this.reader = new RespPipeline(respOptionsOf(redis, name ? `${name}-reader` : 'stratus-cache-reader'));
  }

  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  getStore(namespace: string): RedisCacheStore {
    let store = this.stores.get(namespace);
    if (!store)
      this.stores.set(
        namespace,
        (store = new RedisCacheStore(this.redis, { writer: this.writer, reader: this.reader }, namespace, this.options, this.factoryOptions.now)),
      );
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
    this.reader.close();
    if (this.factoryOptions.ownsConnection ?? false) await closeRedis(this.redis);
  }
}
