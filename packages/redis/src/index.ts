export { RedisUnavailableError } from './connection/redis-unavailable-error.js';
export { createRedisClient, closeRedis, deleteKeysMatching, isReplyError, pingRedis, withRedis, type RedisClientOptions } from './connection/redis-client.js';
export { LuaScript } from './connection/lua-script.js';
export { DEFAULT_REDIS_CACHE_OPTIONS, type RedisCacheOptions } from './cache/redis-cache-options.js';
export { RedisCacheStore } from './cache/redis-cache-store.js';
export { RedisCacheStoreFactory, type RedisCacheStoreFactoryOptions } from './cache/redis-cache-store-factory.js';
export { globToRedisMatch } from './cache/glob-to-redis-match.js';
