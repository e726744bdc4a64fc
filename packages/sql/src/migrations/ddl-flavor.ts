import { sql, type QueryExecutorProvider } from 'kysely';

// Migrations import the flavor type from here; each dialect builds its own (src/dialects/).
export type { DdlFlavor } from '../dialects/ddl-flavor.js';

/**
 * Runs DDL text (identifiers come from validated table names, never from input). Migrations take
 * only something that runs SQL, not a typed `Kysely<Tables>`: a migration describes the schema as it
 * was when it was written, not the current table interfaces, and table names are chosen at run time
 * (tableNamespace), so there is no static schema to type them with.
 */
export async function ddl(db: QueryExecutorProvider, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
