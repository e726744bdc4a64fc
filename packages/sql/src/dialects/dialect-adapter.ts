import { mysqlDialect } from './mysql-dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import type { SqlDialectAdapter } from './sql-dialect-adapter.js';
import type { SqlDialectName } from './sql-dialect-name.js';
import { sqliteDialect } from './sqlite-dialect.js';

const ADAPTERS: Readonly<Record<SqlDialectName, SqlDialectAdapter>> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
};

/** The adapter for a dialect; picked once, when the pool is opened. */
export function dialectAdapter(name: SqlDialectName): SqlDialectAdapter {
  return ADAPTERS[name];
}
