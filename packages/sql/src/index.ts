export type { SqlDialectName } from './dialects/sql-dialect-name.js';
export { SqlDatabase, MAX_BIND_PARAMETERS, type SqlDatabaseOptions, type SqlExecutor } from './database/sql-database.js';
export { createSqlDatabase, dialectOfUrl, redact, type SqlConnectionOptions } from './database/create-sql-database.js';
export { sqlitePath } from './dialects/sqlite-dialect.js';
export type { SqlDialectAdapter } from './dialects/sql-dialect-adapter.js';
export type { StratusTables } from './database/stratus-tables.js';
export { SqlUnavailableError, isConnectionError } from './database/sql-unavailable-error.js';
export { tableNames, type TableNames } from './database/table-names.js';
export { migrateSqlDatabase, stratusMigrations } from './migrations/migrate-sql-database.js';
export { SQL_LIMITS } from './migrations/limits.js';
export { SqlCacheStore, type SqlCacheStoreOptions } from './cache/sql-cache-store.js';
export { SqlCacheStoreFactory, type SqlCacheStoreFactoryOptions } from './cache/sql-cache-store-factory.js';
export { SqlAgentScheduler, type SqlAgentSchedulerOptions } from './scheduler/sql-agent-scheduler.js';
export { defaultApplicationOf, type ApplicationOf } from './cache/cache-row-codec.js';
export { SqlTaskRepository, type SqlTaskRepositoryOptions } from './tasks/sql-task-repository.js';
export { newTaskId } from './tasks/task-id.js';
export { SqlTaskCleanupAgent, type SqlTaskCleanupOptions } from './tasks/sql-task-cleanup-agent.js';
export { sqlConfigSchema, sqlConnectionPoolSchema, type SqlConfig, type SqlConfigInput } from './config/sql-config.js';
export {
  createSqlAdapters,
  createSqlAgentScheduler,
  createSqlCacheStoreFactory,
  createSqlTaskRepository,
  openSqlDatabase,
  type SqlAdapterContext,
  type SqlAdapters,
} from './create-sql-adapters.js';
export { sqlStorageAdapter, sqlStorageModule } from './storage/sql-storage-adapter.js';
export { openSqlStoreUrl, type SqlStoreUrl } from './storage/open-sql-store-url.js';
