import {
  SqlTaskCleanupAgent,
  createSqlAgentScheduler,
  createSqlCacheStoreFactory,
  createSqlTaskRepository,
  migrateSqlDatabase,
  openSqlDatabase,
  redact,
  sqlConfigSchema,
  type SqlConfig,
  type SqlDatabase,
} from '@stratus/sql';
import type { StratusConfig } from '../config/config-schema.js';
import { ConfigError } from '../config/config-error.js';
import type { AdapterContext, StorageAdapter, StorageConcern } from './storage-adapter.js';

/** The `sql` block, validated by the SQL package's own schema (errors name the field, `sql.`-prefixed). */
function sqlConfig(config: StratusConfig): SqlConfig {
  const parsed = sqlConfigSchema.safeParse(config.sql ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `sql.${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

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

/**
 * SQL (PostgreSQL, MySQL/MariaDB, SQLite) for the cache, the clustered scheduler and the task
 * repository, each switched on separately under `sql.enabled` (`sql.cache.enabled`,
 * `sql.scheduler.enabled`, `sql.taskRepository.enabled`), all over one shared pool that is closed
 * at shutdown. Stored account definitions stay with another adapter.
 */
export const sqlAdapter: StorageAdapter = {
  name: 'sql',
  enabledFor(concern, config) {
    const serves = CONCERNS[concern];
    if (!serves || (config.sql as { enabled?: boolean } | undefined)?.enabled !== true) return false;
    return serves(sqlConfig(config));
  },
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
      throw new ConfigError('Invalid configuration: sql.scheduler.enabled: the clustered scheduler needs PostgreSQL or MySQL/MariaDB, not SQLite');
    return createSqlAgentScheduler(database, effective, { nodeId: context.nodeId, logger: context.logger.child({ component: 'sql-scheduler' }) });
  },
  async createTaskRepository(context) {
    const config = sqlConfig(context.config);
    const repository = createSqlTaskRepository(await databaseFor(context));
    const cleanup = config.agent.taskCleanup;
    if (cleanup.enabled) {
      // Housekeeping runs on every replica that serves tasks; the deletes are idempotent.
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
    return repository;
  },
};
