/**
 * Applies the shipped migrations and exits: `pnpm --filter @stratus/sql migrate --url <url> [--namespace <ns>]`
 * (or `STRATUS_SQL_URL`). For installs that run with `sql.migrate: false` and migrate as a release step.
 */
import { parseArgs } from 'node:util';
import { definedOnly } from '@stratus/core';
import { createSqlDatabase, redact } from '../database/create-sql-database.js';
import { migrateSqlDatabase } from '../migrations/migrate-sql-database.js';

const { values } = parseArgs({ options: { url: { type: 'string' }, namespace: { type: 'string' } } });
const url = values.url ?? process.env.STRATUS_SQL_URL;
if (!url) {
  console.error('usage: migrate --url <postgres://…|mysql://…|sqlite:path> [--namespace <tableNamespace>]');
  process.exit(2);
}
const database = createSqlDatabase(definedOnly({ url, tableNamespace: values.namespace, maxConnections: 1 }));
try {
  const result = await migrateSqlDatabase(database);
  const applied = (result.results ?? []).map((r) => `${r.migrationName} ${r.status}`);
  console.log(`${redact(url)}: ${applied.length ? applied.join(', ') : 'already up to date'}`);
} catch (error) {
  console.error(`${redact(url)}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
