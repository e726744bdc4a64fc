/** Tuning of the Redis cache store (`caching.redis.*` in Clouddriver, where everything defaults to 200). */
export interface RedisCacheOptions {
  /** First segment of every key; a test run or a second installation sharing a server picks its own. */
  readonly keyPrefix: string;
  /** Items per write pipeline (each item is one HSET plus shared variadic SADD/HSET commands). */
  readonly writeBatchSize: number;
  /** Write batches of one merge in flight at once. */
  readonly writeConcurrency: number;
  /** Items per read pipeline (one HGETALL each). */
  readonly readBatchSize: number;
  /** Ids per variadic command (SADD, SREM, HMGET, SMISMEMBER, ZMSCORE, UNLINK). */
  readonly multiOpSize: number;
  /** COUNT hint for SSCAN. */
  readonly scanCount: number;
  /** Skip writing items whose content digest did not change (TTL items are never hashed). */
  readonly hashingEnabled: boolean;
}

/** Defaults chosen by `pnpm bench` (see docs/redis.md): larger batches than Clouddriver's 200 pay off. */
export const DEFAULT_REDIS_CACHE_OPTIONS: RedisCacheOptions = {
  keyPrefix: 'stratus',
  writeBatchSize: 1000,
  writeConcurrency: 4,
  readBatchSize: 1000,
  multiOpSize: 1000,
  scanCount: 2000,
  hashingEnabled: true,
};
