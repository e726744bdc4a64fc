import type { QueryExecutorProvider } from 'kysely';
import type { TableNames } from '../database/table-names.js';
import { ddl, type DdlFlavor } from './ddl-flavor.js';
import { SQL_LIMITS as L } from './limits.js';

/**
 * The cache: one row per (namespace, type, id) holding the attribute map and the relationship map
 * as JSON text, plus the derived `application` (indexed) and `expires_at` columns and a body hash
 * that lets unchanged writes be skipped. See docs/sql.md for why this is not table-per-type.
 */
export async function createCacheTables(db: QueryExecutorProvider, f: DdlFlavor, t: TableNames): Promise<void> {
  await ddl(
    db,
    `create table ${t.cacheItems} (
      ns ${f.key(L.namespaceLength)} not null,
      type ${f.key(L.typeLength)} not null,
      id ${f.key(L.idLength)} not null,
      application ${f.key(L.applicationLength)},
      attributes ${f.text},
      relationships ${f.text},
      expires_at ${f.bigint},
      body_hash varchar(44),
      primary key (ns, type, id)
    )${f.tableOptions}`,
  );
  // (ns, application, type), not (ns, type, application): with stale statistics during a cold load the
  // planner would otherwise pick this index for (ns, type, id) lookups and filter on id.
  await ddl(db, `create index ${t.cacheItems}_app on ${t.cacheItems} (ns, application, type)`);
  await ddl(
    db,
    `create table ${t.cacheSources} (
      ns ${f.key(L.namespaceLength)} not null,
      type ${f.key(L.typeLength)} not null,
      agent ${f.key(L.agentLength)} not null,
      chunk integer not null,
      ids ${f.text} not null,
      primary key (ns, type, agent, chunk)
    )${f.tableOptions}`,
  );
  await ddl(
    db,
    `create table ${t.cacheTypes} (
      ns ${f.key(L.namespaceLength)} not null,
      type ${f.key(L.typeLength)} not null,
      primary key (ns, type)
    )${f.tableOptions}`,
  );
}
