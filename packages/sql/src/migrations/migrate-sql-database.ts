import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { SqlDatabase } from '../database/sql-database.js';
import { createCacheTables } from './m0001-cache.js';
import { createAgentLockTable } from './m0002-agent-locks.js';
import { createTaskTables } from './m0003-tasks.js';
import { addTaskLeaseColumns } from './m0004-task-leases.js';
import { addTaskScopeColumn } from './m0005-task-scope.js';

/**
 * The versioned, forward-only migrations shipped with the package. Names sort in apply order; a
 * released migration is never edited, a change is a new migration.
 */
export function stratusMigrations(database: SqlDatabase): MigrationProvider {
  const { adapter, tables } = database;
  const migration = (create: typeof createCacheTables): Migration => ({
    up: async (db) => create(db, await adapter.ddlFlavor(db), tables),
  });
  return {
    getMigrations: async () => ({
      '0001_cache': migration(createCacheTables),
      '0002_agent_locks': migration(createAgentLockTable),
      '0003_tasks': migration(createTaskTables),
      '0004_task_leases': migration(addTaskLeaseColumns),
      '0005_task_scope': migration(addTaskScopeColumn),
    }),
  };
}

/**
 * Brings the schema to the latest version. Safe when several replicas start at once: kysely takes a
 * database lock around the run (`pg_advisory_lock` on PostgreSQL, `GET_LOCK` on MySQL; on SQLite
 * the losing transaction rolls back and is retried, `migrationRetries`) and every replica but the
 * first finds nothing left to do.
 */
export async function migrateSqlDatabase(database: SqlDatabase): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: database.kysely,
    provider: stratusMigrations(database),
    migrationTableName: database.tables.migrations,
    migrationLockTableName: database.tables.migrationLock,
  });
  let result = await database.guard('migrate', () => migrator.migrateToLatest());
  // Where the migrator cannot lock across processes (SQLite), a run that lost the race rolled back
  // and simply tries again on the committed schema.
  for (let attempt = 1; result.error && attempt <= database.adapter.migrationRetries; attempt++) {
    result = await database.guard('migrate', () => migrator.migrateToLatest());
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`SQL migration ${failed ?? ''} failed: ${String((result.error as Error)?.message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}
