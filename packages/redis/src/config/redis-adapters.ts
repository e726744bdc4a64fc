import type { RedisCacheOptions } from '../cache/redis-cache-options.js';
import { definedOnly, type AgentInstrumentation } from '@stratus/core';
import type { Redis } from 'ioredis';
import { RedisCacheStoreFactory } from '../cache/redis-cache-store-factory.js';
import { createRedisClient } from '../connection/redis-client.js';
import { RedisAgentScheduler } from '../scheduler/redis-agent-scheduler.js';
import { RedisSortAgentScheduler } from '../scheduler/redis-sort-agent-scheduler.js';
import { RedisTaskRepository } from '../tasks/redis-task-repository.js';
import type { CacheShardingConfig, RedisConfig } from './redis-config.js';

/** A connection for one concern; each adapter gets its own so a slow cache write never delays a lock. */
export function createRedisConnection(config: RedisConfig, concern: string): Redis {
  return createRedisClient({ url: config.connection, connectionName: `stratus-${concern}`, connectTimeoutMs: config.timeout });
}

/** Whether a concern is served by Redis under this configuration. */
export function redisServes(config: RedisConfig, concern: 'cache' | 'scheduler' | 'taskRepository'): boolean {
  return config.enabled && config[concern].enabled;
}

/**
 * The Redis cache store factory. `cachingRedis` is the tuning from Clouddriver's `caching.redis.*`
 * keys (see `cacheTuningFromCachingRedis`); `redis.cache.*` wins where both set a value.
 */
export function createRedisCacheStoreFactory(config: RedisConfig, redis?: Redis, cachingRedis: Partial<RedisCacheOptions> = {}): RedisCacheStoreFactory {
  const { enabled: _enabled, ...tuning } = config.cache;
  const options = Object.fromEntries(Object.entries(tuning).filter(([, value]) => value !== undefined));
  return new RedisCacheStoreFactory(redis ?? createRedisConnection(config, 'cache'), {
    ...cachingRedis,
    ...options,
    keyPrefix: `${config.keyPrefix}:cache`,
    ownsConnection: redis === undefined,
  });
}

export interface RedisSchedulerWiring {
  readonly nodeId?: string;
  /** False on API-only or draining nodes. */
  readonly nodeEnabled?: () => boolean;
  readonly instrumentation?: AgentInstrumentation;
  readonly sharding?: CacheShardingConfig;
  readonly onError?: (error: unknown, during: string) => void;
  readonly redis?: Redis;
}

/** The scheduler flavour `redis.scheduler` names, with the poll/agent/sharding settings applied. */
export function createRedisScheduler(config: RedisConfig, wiring: RedisSchedulerWiring = {}): RedisAgentScheduler | RedisSortAgentScheduler {
  const redis = wiring.redis ?? createRedisConnection(config, 'scheduler');
  const common = {
    nodeId: wiring.nodeId,
    keyPrefix: `${config.keyPrefix}:agents`,
    intervalMs: config.poll.intervalSeconds * 1000,
    errorIntervalMs: config.poll.errorIntervalSeconds * 1000,
    timeoutMs: config.poll.timeoutSeconds * 1000,
    tickMs: config.agent.agentLockAcquisitionIntervalSeconds * 1000,
    maxConcurrentAgents: config.agent.maxConcurrentAgents,
    enabledPattern: config.agent.enabledPattern,
    nodeEnabled: wiring.nodeEnabled,
    instrumentation: wiring.instrumentation,
    onError: wiring.onError,
    ownsConnection: wiring.redis === undefined,
  };
  if (config.scheduler.type === 'sort') return new RedisSortAgentScheduler(redis, definedOnly({ ...common, parallelism: config.parallelism }));
  const sharding = wiring.sharding?.enabled
    ? { heartbeatIntervalMs: wiring.sharding.heartbeatIntervalSeconds * 1000, replicaTtlMs: wiring.sharding.replicaTtlSeconds * 1000 }
    : undefined;
  return new RedisAgentScheduler(redis, definedOnly({ ...common, sharding }));
}

export function createRedisTaskRepository(config: RedisConfig, redis?: Redis): RedisTaskRepository {
  return new RedisTaskRepository(redis ?? createRedisConnection(config, 'tasks'), {
    keyPrefix: config.keyPrefix,
    completedRetentionMs: config.taskRepository.completedRetentionSeconds * 1000,
    ownsConnection: redis === undefined,
  });
}
