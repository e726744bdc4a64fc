import { describe, expect, it } from 'vitest';
import {
  cacheTuningFromCachingRedis,
  createRedisCacheStoreFactory,
  createRedisScheduler,
  createRedisTaskRepository,
  deleteKeysMatching,
  parseCacheShardingConfig,
  parseRedisConfig,
  RedisAgentScheduler,
  RedisConfigError,
  RedisSortAgentScheduler,
  redisServes,
  type RedisCacheOptions,
} from '../src/index.js';
import { TEST_REDIS_URL, testPrefix } from './redis-test-support.js';

describe('redis configuration', () => {
  it('fills Clouddriver defaults, with Redis off unless enabled', () => {
    const config = parseRedisConfig(undefined);
    expect(config.enabled).toBe(false);
    expect(config.connection).toBe('redis://localhost:6379');
    expect(config.poll).toEqual({ intervalSeconds: 30, errorIntervalSeconds: 30, timeoutSeconds: 300 });
    expect(config.agent).toEqual({ maxConcurrentAgents: 1000, enabledPattern: '.*', agentLockAcquisitionIntervalSeconds: 1 });
    expect(config.scheduler).toEqual({ enabled: true, type: 'default' });
    expect(config.parallelism).toBe(-1);
    expect(redisServes(config, 'cache')).toBe(false);
  });

  it('accepts both shapes of redis.scheduler and kebab-case keys, and switches concerns independently', () => {
    const sort = parseRedisConfig({ enabled: true, scheduler: 'sort', 'task-repository': { enabled: false } });
    expect(sort.scheduler).toEqual({ enabled: true, type: 'sort' });
    expect(redisServes(sort, 'taskRepository')).toBe(false);
    expect(redisServes(sort, 'cache')).toBe(true);
    const off = parseRedisConfig({ enabled: true, scheduler: { enabled: false }, cache: { enabled: false } });
    expect(redisServes(off, 'scheduler')).toBe(false);
    expect(redisServes(off, 'cache')).toBe(false);
    expect(redisServes(off, 'taskRepository')).toBe(true);
    expect(parseRedisConfig({ connection: 'rediss://user:pw@cache.internal:6380/3' }).connection).toBe('rediss://user:pw@cache.internal:6380/3');
    expect(parseCacheShardingConfig({ enabled: true, 'heartbeat-interval-seconds': 5, 'replica-ttl-seconds': 15 })).toEqual({
      enabled: true,
      heartbeatIntervalSeconds: 5,
      replicaTtlSeconds: 15,
    });
  });

  it('rejects bad values with errors naming the field', () => {
    const failure = (input: unknown) => {
      try {
        parseRedisConfig(input);
      } catch (error) {
        expect(error).toBeInstanceOf(RedisConfigError);
        return (error as Error).message;
      }
      throw new Error('expected a RedisConfigError');
    };
    expect(failure({ connection: 'http://localhost:6379' })).toContain('redis.connection: must start with redis:// or rediss://');
    expect(failure({ connection: 'redis://localhost:6379/abc' })).toContain('redis.connection');
    expect(failure({ poll: { timeoutSeconds: -5 } })).toContain('redis.poll.timeoutSeconds');
    expect(failure({ scheduler: 'fancy' })).toContain('redis.scheduler');
    expect(failure({ agent: { enabledPattern: '(' } })).toContain('redis.agent.enabledPattern: must be a valid regular expression');
    expect(failure({ agent: { maxConcurrentAgent: 3 } })).toContain('redis.agent');
    expect(() => parseCacheShardingConfig({ heartbeatIntervalSeconds: 60, replicaTtlSeconds: 30 })).toThrow(/cache-sharding.replicaTtlSeconds/);
  });

  it('builds every adapter from the block, each on its own connection with the db index applied', async () => {
    const prefix = testPrefix('config');
    const config = parseRedisConfig({
      enabled: true,
      connection: TEST_REDIS_URL.replace(/\/\d+$/, '') + '/0',
      keyPrefix: prefix,
      cache: { writeBatchSize: 50 },
      poll: { intervalSeconds: 5, errorIntervalSeconds: 7, timeoutSeconds: 60 },
      agent: { maxConcurrentAgents: 4, enabledPattern: 'prod/.*' },
    });
    const cache = createRedisCacheStoreFactory(config);
    const tasks = createRedisTaskRepository(config);
    const scheduler = createRedisScheduler(config, { nodeId: 'cfg-node', sharding: parseCacheShardingConfig({ enabled: true }) });
    const sort = createRedisScheduler({ ...config, scheduler: { enabled: true, type: 'sort' } }, { nodeId: 'cfg-sort' });
    try {
      expect(scheduler).toBeInstanceOf(RedisAgentScheduler);
      expect((scheduler as RedisAgentScheduler).replicas).toBeDefined();
      expect(sort).toBeInstanceOf(RedisSortAgentScheduler);
      expect((sort as RedisSortAgentScheduler).atomic).toBe(true);
      await cache.ping();
      await tasks.ping();
      await cache.getStore('aws').mergeAll('t', [{ id: 'x', attributes: { a: 1 }, relationships: {}, ttlSeconds: -1 }]);
      expect(await cache.redis.exists(`${prefix}:cache:aws:t:i:x`)).toBe(1);
      scheduler.schedule({ agentType: 'test/Agent', providerName: 'p' }, { execute: async () => ({}) });
      scheduler.schedule({ agentType: 'prod/Agent', providerName: 'p' }, { execute: async () => ({}) });
      expect(scheduler.scheduledAgentTypes()).toEqual(['prod/Agent']);
      const { task } = await tasks.create('ORCHESTRATION', 'init', `cfg-${prefix}`, 'n');
      expect(await cache.redis.exists(`${prefix}:task:${task.id}`)).toBe(1);
    } finally {
      await deleteKeysMatching(cache.redis, `${prefix}:*`); // cache and task keys alike
      await scheduler.stop(0);
      await sort.stop(0);
      await tasks.close();
      await cache.close();
    }
  });

  it("takes Clouddriver's caching.redis batching keys, with redis.cache winning where both are set", async () => {
    expect(
      cacheTuningFromCachingRedis({
        'max-merge-batch-size': 500,
        maxGetBatchSize: 700,
        maxHmgetSize: 300,
        maxSaddSize: 250,
        scanSize: 900,
        hashingEnabled: false,
      }),
    ).toEqual({
      writeBatchSize: 500,
      readBatchSize: 700,
      multiOpSize: 250,
      scanCount: 900,
      hashingEnabled: false,
    });
    expect(cacheTuningFromCachingRedis(undefined)).toEqual({});
    expect(() => cacheTuningFromCachingRedis({ maxMergeBatchSize: 0 })).toThrow(/caching\.redis\.maxMergeBatchSize/);
    expect(() => cacheTuningFromCachingRedis({ treatRelationshipsAsSet: true })).toThrow(/caching\.redis/);
    const config = parseRedisConfig({ enabled: true, connection: TEST_REDIS_URL, cache: { writeBatchSize: 64 } });
    const factory = createRedisCacheStoreFactory(config, undefined, cacheTuningFromCachingRedis({ maxMergeBatchSize: 500, scanSize: 900 }));
    try {
      const options = (factory as unknown as { options: RedisCacheOptions }).options;
      expect(options.writeBatchSize).toBe(64);
      expect(options.scanCount).toBe(900);
    } finally {
      await factory.close();
    }
  });
});
