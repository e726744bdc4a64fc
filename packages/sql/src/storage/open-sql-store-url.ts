import { StorageConfigError, redactStoreUrl, splitStoreUrl } from '@stratus/core';
import { createSqlDatabase } from '../database/create-sql-database.js';
import type { SqlDatabase } from '../database/sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';

/** A pool opened from a store URL, with the table namespace it named. */
export interface SqlStoreUrl {
  readonly database: SqlDatabase;
  readonly tableNamespace?: string;
  /** `<url without password>[ tableNamespace=<ns>]`, for logs and reports (callers put the store's kind first). */
  readonly label: string;
}

/**
 * Opens the SQL store a URL names (`postgres://user@host/db?tableNamespace=ns`, `mysql://…`,
 * `mariadb://…`, `sqlite:<path>`; other query parameters go to the driver), for a second connection
 * besides the configured one (migrations, a dual task repository's other side). With `migrate` the
 * schema is created first; a failure closes the pool again.
 */
export async function openSqlStoreUrl(
  spec: string,
  options: { readonly migrate?: boolean; readonly defaultTableNamespace?: string } = {},
): Promise<SqlStoreUrl> {
  const { url, params } = splitStoreUrl(spec, ['tableNamespace']);
  const tableNamespace = params.tableNamespace ?? options.defaultTableNamespace;
  if (tableNamespace !== undefined && !/^[a-z][a-z0-9_]{0,29}$/.test(tableNamespace)) {
    throw new StorageConfigError(`tableNamespace: '${tableNamespace}' must be 1-30 lower-case letters, digits or _, starting with a letter`);
  }
  const database = createSqlDatabase({ url, maxConnections: 4, ...(tableNamespace ? { tableNamespace } : {}) });
  try {
    if (options.migrate) await migrateSqlDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    database,
    ...(tableNamespace ? { tableNamespace } : {}),
    label: `${redactStoreUrl(url)}${tableNamespace ? ` tableNamespace=${tableNamespace}` : ''}`,
  };
}
