import type { QueryExecutorProvider } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';
import { SQL_LIMITS as L } from './limits.js';

/** One row per agent currently running or waiting out its interval (the lock doubles as the schedule). */
export async function createAgentLockTable(db: QueryExecutorProvider, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(
    db,
    `create table ${t.agentLocks} (
      agent_name ${f.key(L.agentNameLength)} not null primary key,
      owner_id ${f.key(L.ownerLength)} not null,
      acquired_at ${f.bigint} not null,
      expires_at ${f.bigint} not null
    )${f.tableOptions}`,
  );
  await ddl(db, `create index ${t.agentLocks}_expiry on ${t.agentLocks} (expires_at)`);
}
