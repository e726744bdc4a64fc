import { sql, type Kysely } from 'kysely';
import type { SqlDialectName } from '../database/sql-dialect-name.js';

/** Column types and table options that differ per dialect, so each migration is written once. */
export interface DdlFlavor {
  readonly dialect: SqlDialectName;
  /** A case- and trailing-space-sensitive string column of `length` characters. */
  key(length: number): string;
  /** A large text column. */
  readonly text: string;
  readonly bigint: string;
  /** An auto-incrementing 64-bit primary key column. */
  readonly serialPrimaryKey: string;
  /** Appended to `create table (…)`. */
  readonly tableOptions: string;
}

/**
 * Ids are compared byte for byte on every dialect: `collate "C"` on PostgreSQL (which also lets
 * `LIKE 'prefix%'` use the primary key), a binary NO PAD collation on MySQL/MariaDB (their default
 * collations ignore case and trailing spaces, which would merge distinct cache keys), BINARY on SQLite.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
export async function ddlFlavor(db: Kysely<any>, dialect: SqlDialectName): Promise<DdlFlavor> {
  if (dialect === 'postgres') {
    return {
      dialect,
      key: (length) => `varchar(${length}) collate "C"`,
      text: 'text',
      bigint: 'bigint',
      serialPrimaryKey: 'bigint generated always as identity primary key',
      tableOptions: '',
    };
  }
  if (dialect === 'mysql') {
    const { rows } = await sql<{ v: string }>`select version() as v`.execute(db);
    const version = String(rows[0]?.v ?? '');
    const collation = /mariadb/i.test(version) ? 'utf8mb4_nopad_bin' : /^[89]\./.test(version) ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
    return {
      dialect,
      key: (length) => `varchar(${length})`,
      text: 'longtext',
      bigint: 'bigint',
      serialPrimaryKey: 'bigint not null auto_increment primary key',
      tableOptions: ` engine=InnoDB default charset=utf8mb4 collate=${collation}`,
    };
  }
  return {
    dialect,
    key: () => 'text',
    text: 'text',
    bigint: 'integer',
    serialPrimaryKey: 'integer primary key autoincrement',
    tableOptions: '',
  };
}

/** Runs DDL text (identifiers come from validated table names, never from input). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names are chosen at run time (tableNamespace), so Kysely has no static schema here; typed tables come with the SQL dialect adapters (issue 17)
export async function ddl(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}
