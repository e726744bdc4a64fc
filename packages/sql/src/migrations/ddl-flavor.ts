import { sql, type Kysely } from 'kysely';

// Migrations import the flavor type from here; each dialect builds its own (src/dialects/).
export type { DdlFlavor } from '../dialects/ddl-flavor.js';

/**
 * Runs DDL text (identifiers come from validated table names, never from input). Migrations take
 * `Kysely<any>` on purpose: a migration describes the schema as it was when it was written, not the
 * current table interfaces (kysely's migration guide says the same).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was when written
export async function ddl(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
