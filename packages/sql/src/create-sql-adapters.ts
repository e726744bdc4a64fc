import type { Logger } from '@stratus/plugin-api';
import { definedOnly, type AgentInstrumentation } from '@stratus/core';
import type { ApplicationOf } from './cache/cache-row-codec.js';
import { SqlCacheStoreFactory } from './cache/sql-cache-store-factory.js';
import { sqlConfigSchema, type SqlConfig, type SqlConfigInput } from './config/sql-config.js';
import { createSqlDatabase, redact } from './database/create-sql-database.js';
import type { SqlDatabase } from './database/sql-database.js';
import { migrateSqlDatabase } from './migrations/migrate-sql-database.js';
import { SqlAgentScheduler } from './scheduler/sql-agent-scheduler.js';
import { SqlTaskCleanupAgent } from './tasks/sql-task-cleanup-agent.js';
import { SqlTaskRepository } from './tasks/sql-task-repository.js';

export interface SqlAdapterContext {
  /** This replica's id: the scheduler's lock owner. */
  readonly nodeId: string;
  readonly logger?: Logger;
  readonly instrumentation?: AgentInstrumentation;
  readonly applicationOf?: ApplicationOf;
  readonly now?: () => number;
}

/** The adapters a `sql:` block switches on, over one shared pool (undefined: switched off). */
export interface SqlAdapters {
  readonly config: SqlConfig;
  readonly database: SqlDatabase;
  readonly cacheStoreFactory?: SqlCacheStoreFactory | undefined;
  readonly scheduler?: SqlAgentScheduler | undefined;
  readonly taskRepository?: SqlTaskRepository | undefined;
  /** Present with the task repository unless `sql.agent.taskCleanup.enabled` is false; schedule it. */
  readonly taskCleanupAgent?: SqlTaskCleanupAgent | undefined;
  /** Stops nothing; closes the pool (stop the scheduler first). */
  close(): Promise<void>;
}

/** Opens the default pool of a parsed config (`sql.connectionPools.default`). */
export function openSqlDatabase(config: SqlConfig, logger?: Logger): SqlDatabase {
  const pool = config.connectionPools.default;
  if (!pool) throw new Error('sql.connectionPools.default.url is required');
  return createSqlDatabase(
    definedOnly({
      url: pool.url,
      tableNamespace: config.tableNamespace,
      maxConnections: pool.maxPoolSize,
      connectTimeoutMs: pool.connectTimeoutMs,
      logger,
    }),
  );
}

export function createSqlCacheStoreFactory(database: SqlDatabase, config: SqlConfig, context: Omit<SqlAdapterContext, 'nodeId'> = {}): SqlCacheStoreFactory {
  return new SqlCacheStoreFactory(
    database,
    definedOnly({
      readBatchSize: config.cache.readBatchSize,
      readConcurrency: config.cache.readConcurrency,
      writeBatchSize: config.cache.writeBatchSize,
      applicationOf: context.applicationOf,
      logger: context.logger,
      now: context.now,
      ownsDatabase: false,
    }),
  );
}

export function createSqlAgentScheduler(database: SqlDatabase, config: SqlConfig, context: SqlAdapterContext): SqlAgentScheduler {
  if (!database.adapter.supportsClusteredScheduler)
    throw new Error('sql.scheduler.enabled: the clustered scheduler needs PostgreSQL or MySQL/MariaDB, not SQLite');
  const agent = config.agent;
  return new SqlAgentScheduler(
    database,
    definedOnly({
      nodeId: context.nodeId,
      maxConcurrentAgents: agent.maxConcurrentAgents,
      tickMs: agent.agentLockAcquisitionIntervalMs,
      releaseThresholdMs: agent.releaseThresholdMs,
      zombieThresholdMs: agent.zombieThresholdMs,
      intervalMs: agent.poll.intervalMs,
      errorIntervalMs: agent.poll.errorIntervalMs,
      timeoutMs: agent.poll.timeoutMs,
      instrumentation: context.instrumentation,
      logger: context.logger,
      now: context.now,
    }),
  );
}

export function createSqlTaskRepository(database: SqlDatabase, context: Pick<SqlAdapterContext, 'now'> = {}): SqlTaskRepository {
  return new SqlTaskRepository(database, definedOnly({ now: context.now }));
}

/**
 * Validates the `sql:` block, opens the pool, applies migrations (unless `sql.migrate: false`) and
 * builds every enabled adapter. Returns undefined when `sql.enabled` is false or nothing is enabled.
 */
export async function createSqlAdapters(input: SqlConfigInput | SqlConfig, context: SqlAdapterContext): Promise<SqlAdapters | undefined> {
  const config = sqlConfigSchema.parse(input);
  if (!config.enabled || !(config.cache.enabled || config.scheduler.enabled || config.taskRepository.enabled)) return undefined;
  const database = openSqlDatabase(config, context.logger);
  try {
    if (config.migrate) {
      const result = await migrateSqlDatabase(database);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      context.logger?.info({ applied, url: redact(config.connectionPools.default!.url) }, 'SQL schema up to date');
    }
    const cacheStoreFactory = config.cache.enabled ? createSqlCacheStoreFactory(database, config, context) : undefined;
    const scheduler = config.scheduler.enabled ? createSqlAgentScheduler(database, config, context) : undefined;
    const taskRepository = config.taskRepository.enabled ? createSqlTaskRepository(database, context) : undefined;
    const cleanup = config.agent.taskCleanup;
    const taskCleanupAgent =
      taskRepository && cleanup.enabled
        ? new SqlTaskCleanupAgent(
            taskRepository,
            definedOnly({
              completedTtlMs: cleanup.completedTtlMs,
              batchSize: cleanup.batchSize,
              intervalMs: cleanup.intervalMs,
              now: context.now,
            }),
          )
        : undefined;
    return { config, database, cacheStoreFactory, scheduler, taskRepository, taskCleanupAgent, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
