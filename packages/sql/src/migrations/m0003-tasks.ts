import type { QueryExecutorProvider } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';
import { SQL_LIMITS as L } from './limits.js';

/** Tasks with an insert-only state history, result objects and outputs (Clouddriver's four tables). */
export async function createTaskTables(db: QueryExecutorProvider, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(
    db,
    `create table ${t.tasks} (
      id ${f.key(L.taskIdLength)} not null primary key,
      request_id ${f.key(L.requestIdLength)} not null,
      owner_id ${f.key(L.ownerLength)} not null,
      created_at ${f.bigint} not null
    )${f.tableOptions}`,
  );
  await ddl(db, `create unique index ${t.tasks}_request on ${t.tasks} (request_id)`);
  await ddl(
    db,
    `create table ${t.taskStates} (
      seq ${f.serialPrimaryKey},
      task_id ${f.key(L.taskIdLength)} not null,
      created_at ${f.bigint} not null,
      state varchar(32) not null,
      phase ${f.text} not null,
      status ${f.text} not null
    )${f.tableOptions}`,
  );
  await ddl(db, `create index ${t.taskStates}_task on ${t.taskStates} (task_id, seq)`);
  for (const table of [t.taskResults, t.taskOutputs]) {
    await ddl(
      db,
      `create table ${table} (
        seq ${f.serialPrimaryKey},
        task_id ${f.key(L.taskIdLength)} not null,
        created_at ${f.bigint} not null,
        body ${f.text} not null
      )${f.tableOptions}`,
    );
    await ddl(db, `create index ${table}_task on ${table} (task_id, seq)`);
  }
}
