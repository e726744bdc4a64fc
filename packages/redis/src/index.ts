export { RedisUnavailableError } from './connection/redis-unavailable-error.js';
export { createRedisClient, closeRedis, deleteKeysMatching, isReplyError, pingRedis, withRedis, type RedisClientOptions } from './connection/redis-client.js';
export { LuaScript } from './connection/lua-script.js';
export { DEFAULT_REDIS_CACHE_OPTIONS, type RedisCacheOptions } from './cache/redis-cache-options.js';
export { RedisCacheStore } from './cache/redis-cache-store.js';
export { RedisCacheStoreFactory, type RedisCacheStoreFactoryOptions } from './cache/redis-cache-store-factory.js';
export { globToRedisMatch } from './cache/glob-to-redis-match.js';
export {
  ClusteredSchedulerBase,
  type ClusteredSchedulerOptions,
  type ActiveRun,
  type Acquired,
  type ScheduledEntry,
} from './scheduler/clustered-scheduler-base.js';
export { RedisAgentScheduler, type RedisAgentSchedulerOptions, type ShardingOptions } from './scheduler/redis-agent-scheduler.js';
export { RedisCachingReplicas, type RedisCachingReplicasOptions } from './scheduler/redis-caching-replicas.js';
export { javaStringHash } from './scheduler/java-string-hash.js';
export { defaultNodeId } from './scheduler/node-identity.js';
export { RedisTaskRepository, type RedisTaskRepositoryOptions } from './tasks/redis-task-repository.js';
export { RedisSortAgentScheduler, type RedisSortAgentSchedulerOptions } from './scheduler/redis-sort-agent-scheduler.js';
export {
  cacheShardingConfigSchema,
  cacheTuningFromCachingRedis,
  cachingRedisConfigSchema,
  parseCacheShardingConfig,
  parseRedisConfig,
  redisConfigSchema,
  RedisConfigError,
  type CacheShardingConfig,
  type RedisConfig,
} from './config/redis-config.js';
export {
  createRedisCacheStoreFactory,
  createRedisConnection,
  createRedisScheduler,
  createRedisTaskRepository,
  redisServes,
  type RedisSchedulerWiring,
} from './config/redis-adapters.js';
export { redisStorageAdapter, redisStorageModule } from './storage/redis-storage-adapter.js';
export { openRedisStoreUrl, type RedisStoreUrl } from './storage/open-redis-store-url.js';
