import {
  cacheTuningFromCachingRedis,
  createRedisCacheStoreFactory,
  createRedisScheduler,
  createRedisTaskRepository,
  parseCacheShardingConfig,
  parseRedisConfig,
  redisServes,
  type RedisConfig,
} from '@stratus/redis';
import type { StratusConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/config-error.js';
import type { AdapterContext, StorageAdapter, StorageConcern } from './storage-adapter.js';

/** The `redis` block, validated by the Redis package's own schema (errors name the field). */
function redisConfig(config: StratusConfig): RedisConfig {
  try {
    return parseRedisConfig(config.redis);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** Clouddriver's `caching.redis.*` batching keys, mapped onto the Redis cache store's tuning. */
function cachingRedisTuning(config: StratusConfig) {
  try {
    return cacheTuningFromCachingRedis(config.caching.redis);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** `cache-sharding` is not one of the server's own sections, so it arrives with either spelling. */
function shardingConfig(config: StratusConfig) {
  const raw = (config as Record<string, unknown>)['cache-sharding'] ?? (config as Record<string, unknown>).cacheSharding;
  try {
    return parseCacheShardingConfig(raw);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

const CONCERNS: Partial<Record<StorageConcern, 'cache' | 'scheduler' | 'taskRepository'>> = {
  cache: 'cache',
  scheduler: 'scheduler',
  tasks: 'taskRepository',
};

/**
 * Redis for the cache, the clustered scheduler (`redis.scheduler: default | sort`) and the task
 * repository, each switchable on its own (`redis.cache.enabled`, `redis.scheduler.enabled`,
 * `redis.taskRepository.enabled`, all true once `redis.enabled`). Each concern gets its own
 * connection and closes it itself. Stored account definitions stay with another adapter.
 */
export const redisAdapter: StorageAdapter = {
  name: 'redis',
  enabledFor(concern, config) {
    const redisConcern = CONCERNS[concern];
    const serves = redisConcern !== undefined && redisServes(redisConfig(config), redisConcern);
    // Validate the sharding block before any connection is opened.
    if (serves && concern === 'scheduler') shardingConfig(config);
    return serves;
  },
  createCacheStoreFactory(context) {
    const factory = createRedisCacheStoreFactory(redisConfig(context.config), undefined, cachingRedisTuning(context.config));
    // Also closed if assembly fails later; closing twice is harmless.
    context.onClose(() => factory.close());
    return factory;
  },
  createAgentScheduler(context: AdapterContext) {
    const config = redisConfig(context.config);
    const raw = (context.config.redis ?? {}) as { poll?: unknown; agent?: { maxConcurrentAgents?: unknown } };
    // `redis.poll.*` and `redis.agent.maxConcurrentAgents` win when set; otherwise the server-wide
    // `caching.poll.*` / `caching.maxConcurrentAgents` apply, as for every other scheduler.
    const effective: RedisConfig = {
      ...config,
      poll: raw.poll
        ? config.poll
        : {
            intervalSeconds: context.schedulerDefaults.intervalMs / 1000,
            errorIntervalSeconds: context.schedulerDefaults.errorIntervalMs / 1000,
            timeoutSeconds: context.schedulerDefaults.timeoutMs / 1000,
          },
      agent: { ...config.agent, maxConcurrentAgents: raw.agent?.maxConcurrentAgents ? config.agent.maxConcurrentAgents : context.maxConcurrentAgents },
    };
    const log = context.logger.child({ component: 'redis-scheduler' });
    const sharding = shardingConfig(context.config);
    if (sharding.enabled && config.scheduler.type === 'sort')
      log.warn({}, 'cache-sharding applies to the default Redis scheduler only; the sort scheduler ignores it');
    const scheduler = createRedisScheduler(effective, {
      nodeId: context.nodeId,
      sharding,
      onError: (error, during) => log.warn({ err: error, during }, 'Redis scheduler error (will retry)'),
    });
    context.onClose(() => scheduler.stop(0));
    return scheduler;
  },
  createTaskRepository(context) {
    const repository = createRedisTaskRepository(redisConfig(context.config));
    context.onClose(() => repository.close());
    return repository;
  },
};
