import { StorageConfigError, storageAdapterModule, type AdapterContext, type StorageAdapter, type StorageConcern, type StorageRootConfig } from '@stratus/core';
import { z } from 'zod';
import { sqlConfigSchema, type SqlConfig } from '../config/sql-config.js';
import { createSqlAgentScheduler, createSqlCacheStoreFactory, createSqlTaskRepository, openSqlDatabase } from '../create-sql-adapters.js';
import { redact } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';
import { SqlTaskCleanupAgent } from '../tasks/sql-task-cleanup-agent.js';
import type { SqlTaskRepository } from '../tasks/sql-task-repository.js';

/** Problems in the `sql` block by this package's schema, each naming its field (`sql.`-prefixed). */
function sqlProblems(config: StorageRootConfig): { config?: SqlConfig; problems: string[] } {
  const parsed = sqlConfigSchema.safeParse(config.sql ?? {});
  if (parsed.success) return { config: parsed.data, problems: [] };
  return { problems: parsed.error.issues.map((issue) => `sql.${issue.path.join('.')}: ${issue.message}`) };
}

function sqlConfig(config: StorageRootConfig): SqlConfig {
  const { config: parsed, problems } = sqlProblems(config);
  if (!parsed) throw new StorageConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return parsed;
}

const sqlEnabled = (config: StorageRootConfig) => (config.sql as { enabled?: unknown } | undefined)?.enabled === true;

const CONCERNS: Partial<Record<StorageConcern, (config: SqlConfig) => boolean>> = {
  cache: (config) => config.cache.enabled,
  scheduler: (config) => config.scheduler.enabled,
  tasks: (config) => config.taskRepository.enabled,
};

/** One pool per server (per adapter context), opened and migrated once however many concerns use it. */
const databases = new WeakMap<AdapterContext, Promise<SqlDatabase>>();

function databaseFor(context: AdapterContext): Promise<SqlDatabase> {
  let opened = databases.get(context);
  if (!opened) {
    opened = (async () => {
      const config = sqlConfig(context.config);
      const log = context.logger.child({ component: 'sql' });
      const database = openSqlDatabase(config, log);
      context.onClose(() => database.close());
      if (config.migrate) {
        const result = await migrateSqlDatabase(database);
        const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
        log.info({ applied, url: redact(config.connectionPools.default!.url), tableNamespace: config.tableNamespace }, 'SQL schema up to date');
      }
      return database;
    })();
    databases.set(context, opened);
  }
  return opened;
}

/** Deletes completed tasks past their retention on a timer, on every replica serving tasks (the deletes are idempotent). */
function scheduleTaskCleanup(repository: SqlTaskRepository, config: SqlConfig, context: AdapterContext): void {
  const cleanup = config.agent.taskCleanup;
  if (!cleanup.enabled) return;
  const agent = new SqlTaskCleanupAgent(repository, cleanup);
  const log = context.logger.child({ component: 'sql-task-cleanup' });
  const controller = new AbortController();
  const timer = setInterval(() => {
    agent.execute({ signal: controller.signal, guardedWrite: (write) => write() }).then(
      (outcome) => outcome.itemsEvicted && log.info({ deleted: outcome.itemsEvicted }, 'deleted completed tasks past their retention'),
      (error) => log.warn({ err: error }, 'task cleanup failed (will retry)'),
    );
  }, cleanup.intervalMs);
  timer.unref();
  context.onClose(() => {
    clearInterval(timer);
    controller.abort();
  });
}

/**
 * SQL (PostgreSQL, MySQL/MariaDB, SQLite) for the cache, the clustered scheduler and the task
 * repository, each switched on separately under `sql.enabled` (`sql.cache.enabled`,
 * `sql.scheduler.enabled`, `sql.taskRepository.enabled`), all over one shared pool that is closed
 * at shutdown. Stored account definitions stay with another adapter.
 */
export const sqlStorageAdapter = {
  name: 'sql',
  // The switch only: the rest of the block is checked by `sqlConfigSchema` once SQL is enabled.
  configSection: {
    key: 'sql',
    schema: z
      .looseObject({ enabled: z.boolean().default(false) })
      .prefault({})
      .describe('SQL store settings (`sql.enabled`, `sql.connectionPools`, …); read by the SQL storage module of `@stratus/sql`.'),
  },
  enabledFor(concern, config) {
    const serves = CONCERNS[concern];
    if (!serves || !sqlEnabled(config)) return false;
    return serves(sqlConfig(config));
  },
  checkConfig: (config) => (sqlEnabled(config) ? sqlProblems(config).problems : []),
  async createCacheStoreFactory(context) {
    return createSqlCacheStoreFactory(await databaseFor(context), sqlConfig(context.config), {
      logger: context.logger.child({ component: 'sql-cache' }),
    });
  },
  async createAgentScheduler(context) {
    const config = sqlConfig(context.config);
    const raw = (context.config.sql ?? {}) as { agent?: { poll?: unknown; maxConcurrentAgents?: unknown } };
    // `sql.agent.poll.*` and `sql.agent.maxConcurrentAgents` win when set; otherwise the server-wide
    // `caching.poll.*` / `caching.maxConcurrentAgents` apply, as for every other scheduler.
    const effective: SqlConfig = {
      ...config,
      agent: {
        ...config.agent,
        maxConcurrentAgents: raw.agent?.maxConcurrentAgents ? config.agent.maxConcurrentAgents : context.maxConcurrentAgents,
        poll: raw.agent?.poll ? config.agent.poll : { ...context.schedulerDefaults },
      },
    };
    const database = await databaseFor(context);
    if (database.dialect === 'sqlite')
      throw new StorageConfigError('Invalid configuration: sql.scheduler.enabled: the clustered scheduler needs PostgreSQL or MySQL/MariaDB, not SQLite');
    return createSqlAgentScheduler(database, effective, { nodeId: context.nodeId, logger: context.logger.child({ component: 'sql-scheduler' }) });
  },
  async createTaskRepository(context) {
    const repository = createSqlTaskRepository(await databaseFor(context));
    scheduleTaskCleanup(repository, sqlConfig(context.config), context);
    return repository;
  },
} as const satisfies StorageAdapter;

/** The SQL store as a server module: list it before `memoryStorageModule`. */
export const sqlStorageModule = storageAdapterModule(sqlStorageAdapter);
