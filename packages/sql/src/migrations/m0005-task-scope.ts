import type { QueryExecutorProvider } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';

/**
 * Who created each task and which accounts and applications it touches (JSON), so task reads can
 * be authorized. Null on tasks written before: only admins see those.
 */
export async function addTaskScopeColumn(db: QueryExecutorProvider, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(db, `alter table ${t.tasks} add column scope ${f.text} null`);
}
