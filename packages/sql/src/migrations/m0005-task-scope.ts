import type { Kysely } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';

/**
 * Who created each task and which accounts and applications it touches (JSON), so task reads can
 * be authorized. Null on tasks written before: only admins see those.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
export async function addTaskScopeColumn(db: Kysely<any>, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(db, `alter table ${t.tasks} add column scope ${f.text} null`);
}
