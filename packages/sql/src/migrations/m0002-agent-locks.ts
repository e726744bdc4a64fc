import type { Kysely } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';
import { SQL_LIMITS as L } from './limits.js';

/** One row per agent currently running or waiting out its interval (the lock doubles as the schedule). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
export async function createAgentLockTable(db: Kysely<any>, f: DdlFlavor, t: TableNames): Promise<void> {
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
