/**
 * Column types and table options that differ per dialect, so each migration is written once.
 * Ids are compared byte for byte on every dialect (see each dialect's implementation for how).
 */
export interface DdlFlavor {
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
