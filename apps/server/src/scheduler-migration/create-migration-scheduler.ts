import type { AgentScheduler } from '@stratus/core';
import { closeRedis, createRedisClient, parseRedisConfig } from '@stratus/redis';
import { createSqlDatabase, migrateSqlDatabase, sqlConfigSchema } from '@stratus/sql';
import type { StorageContext } from '../adapters/storage-context.js';
import { ConfigError } from '../config/config-error.js';
import type { AgentStoreLock } from './agent-store-lock.js';
import { DualLockAgentScheduler } from './dual-lock-agent-scheduler.js';
import { RedisAgentStoreLock } from './redis-agent-store-lock.js';
import { SqlAgentStoreLock } from './sql-agent-store-lock.js';

/**
 * The scheduler of a replica while `scheduler.migration` is set: agent locks in both the Redis and
 * the SQL store (the configured `redis.connection` and `sql.connectionPools.default`, own
 * connections), old store first. Undefined when no migration is configured.
 */
export async function createMigrationScheduler(context: StorageContext): Promise<AgentScheduler | undefined> {
  const migration = context.config.scheduler.migration;
  if (!migration) return undefined;
  if (!context.config.redis.enabled || !context.config.sql.enabled) {
    throw new ConfigError('Invalid configuration: scheduler.migration: needs both redis.enabled and sql.enabled (the two stores whose locks it takes)');
  }
  let redisConfig;
  try {
    redisConfig = parseRedisConfig(context.config.redis);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: ${(error as Error).message}`);
  }
  const sql = sqlConfigSchema.safeParse(context.config.sql);
  if (!sql.success) throw new ConfigError(`Invalid configuration: sql: ${sql.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);

  const redis = createRedisClient({ url: redisConfig.connection, connectionName: 'stratus-scheduler-migration' });
  const database = createSqlDatabase({
    url: sql.data.connectionPools.default!.url,
    maxConnections: 4,
    ...(sql.data.tableNamespace ? { tableNamespace: sql.data.tableNamespace } : {}),
  });
  try {
    if (sql.data.migrate) await migrateSqlDatabase(database);
  } catch (error) {
    await Promise.allSettled([database.close(), closeRedis(redis)]);
    throw error;
  }
  const locks: Record<'redis' | 'sql', AgentStoreLock> = {
    redis: new RedisAgentStoreLock(redis, `${redisConfig.keyPrefix}:agents`, context.nodeId),
    sql: new SqlAgentStoreLock(database, context.nodeId),
  };
  const log = context.logger.child({ component: 'scheduler-migration' });
  const scheduler = new DualLockAgentScheduler({
    nodeId: context.nodeId,
    keyPrefix: `${redisConfig.keyPrefix}:agents`,
    ...context.schedulerDefaults,
    maxConcurrentAgents: context.maxConcurrentAgents,
    old: locks[migration.source],
    next: locks[migration.target],
    onError: (error, during) => log.warn({ err: error, during }, 'migration scheduler error (will retry)'),
    onStopped: async () => {
      await Promise.allSettled([closeRedis(redis), database.close()]);
    },
  });
  log.warn(
    { source: migration.source, target: migration.target },
    'scheduler migration: every agent lock is taken in both stores; remove scheduler.migration once all replicas run the target scheduler',
  );
  context.onClose(() => scheduler.stop(0));
  return scheduler;
}
