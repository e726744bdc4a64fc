import { StorageConfigError, storageAdapterModule, type AdapterContext, type StorageAdapter, type StorageConcern, type StorageRootConfig } from '@stratus/core';
import { z } from 'zod';
import { createRedisCacheStoreFactory, createRedisScheduler, createRedisTaskRepository, redisServes } from '../config/redis-adapters.js';
import { cacheTuningFromCachingRedis, parseCacheShardingConfig, parseRedisConfig, type RedisConfig } from '../config/redis-config.js';

/** Runs a package parser, turning its error into a config error the server prints as one line. */
function checked<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new StorageConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** The `redis` block, validated by this package's schema (errors name the field). */
const redisConfig = (config: StorageRootConfig): RedisConfig => checked(() => parseRedisConfig(config.redis));

/** Clouddriver's `caching.redis.*` batching keys, mapped onto the Redis cache store's tuning. */
const cachingRedisTuning = (config: StorageRootConfig) =>
  checked(() => cacheTuningFromCachingRedis((config.caching as { redis?: unknown } | undefined)?.redis));

/** `cache-sharding` is not one of the server's own sections, so it arrives with either spelling. */
const shardingConfig = (config: StorageRootConfig) => checked(() => parseCacheShardingConfig(config['cache-sharding'] ?? config.cacheSharding));

const CONCERNS: Partial<Record<StorageConcern, 'cache' | 'scheduler' | 'taskRepository'>> = {
  cache: 'cache',
  scheduler: 'scheduler',
  tasks: 'taskRepository',
};

/** Agent cadence and concurrency: `redis.poll.*` / `redis.agent.maxConcurrentAgents` when set, else the server-wide defaults. */
function schedulerConfig(context: AdapterContext): RedisConfig {
  const config = redisConfig(context.config);
  const raw = (context.config.redis ?? {}) as { poll?: unknown; agent?: { maxConcurrentAgents?: unknown } };
  return {
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
}

/**
 * Redis for the cache, the clustered scheduler (`redis.scheduler: default | sort`) and the task
 * repository, each switchable on its own (`redis.cache.enabled`, `redis.scheduler.enabled`,
 * `redis.taskRepository.enabled`, all true once `redis.enabled`). Each concern gets its own
 * connection and closes it itself. Stored account definitions stay with another adapter.
 */
export const redisStorageAdapter = {
  name: 'redis',
  // The switch only: the rest of the block is checked by `parseRedisConfig` once Redis is enabled.
  configSection: {
    key: 'redis',
    schema: z
      .looseObject({ enabled: z.boolean().default(false) })
      .prefault({})
      .describe('Redis store settings (`redis.enabled`, `redis.connection`, …); read by the Redis storage module of `@stratus/redis`.'),
  },
  enabledFor(concern, config) {
    const redisConcern = CONCERNS[concern];
    const serves = redisConcern !== undefined && redisServes(redisConfig(config), redisConcern);
    // Validate the sharding block before any connection is opened.
    if (serves && concern === 'scheduler') shardingConfig(config);
    return serves;
  },
  checkConfig(config) {
    if ((config.redis as { enabled?: unknown } | undefined)?.enabled !== true) return [];
    try {
      redisConfig(config);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  },
  createCacheStoreFactory(context) {
    const factory = createRedisCacheStoreFactory(redisConfig(context.config), undefined, cachingRedisTuning(context.config));
    // Also closed if assembly fails later; closing twice is harmless.
    context.onClose(() => factory.close());
    return factory;
  },
  createAgentScheduler(context) {
    const log = context.logger.child({ component: 'redis-scheduler' });
    const effective = schedulerConfig(context);
    const sharding = shardingConfig(context.config);
    if (sharding.enabled && effective.scheduler.type === 'sort')
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
} as const satisfies StorageAdapter;

/** The Redis store as a server module: list it before `memoryStorageModule`. */
export const redisStorageModule = storageAdapterModule(redisStorageAdapter);
