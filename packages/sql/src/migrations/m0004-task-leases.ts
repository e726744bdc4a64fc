import type { QueryExecutorProvider } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';

/**
 * Task leases and checkpoints: when the owner last renewed its lease (a heartbeat other replicas
 * watch for change) and the persisted progress a new owner continues from (docs/operator-guide.md,
 * "Task leases"). Both nullable, so tasks written before this migration read as they did.
 */
export async function addTaskLeaseColumns(db: QueryExecutorProvider, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(db, `alter table ${t.tasks} add column lease_renewed_at ${f.bigint}`);
  await ddl(db, `alter table ${t.tasks} add column checkpoint ${f.text}`);
}
