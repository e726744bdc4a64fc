import type { Kysely } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';

/**
 * Task leases and checkpoints: when the owner last renewed its lease (a heartbeat other replicas
 * watch for change) and the persisted progress a new owner continues from (docs/operator-guide.md,
 * "Task leases"). Both nullable, so tasks written before this migration read as they did.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
export async function addTaskLeaseColumns(db: Kysely<any>, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(db, `alter table ${t.tasks} add column lease_renewed_at ${f.bigint}`);
  await ddl(db, `alter table ${t.tasks} add column checkpoint ${f.text}`);
}
