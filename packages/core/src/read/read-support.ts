import type { CallerAccess } from '../security/caller-access.js';

/** Keeps the accounts the caller may READ, with each account's names sorted. */
export function readableClusterNames(byAccount: Readonly<Record<string, Iterable<string>>>, access: CallerAccess): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const account of Object.keys(byAccount).sort()) {
    if (!access.canReadAccount(account)) continue;
    const names = [...new Set(byAccount[account]!)].sort();
    if (names.length > 0) result[account] = names;
  }
  return result;
}

/** Sorts by `name` case-insensitively, as Clouddriver sorts applications. */
export function sortedByName<T extends { readonly name: string }>(items: T[]): T[] {
  return items.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.name.localeCompare(b.name));
}

/** A copy of a record with its keys in order (Clouddriver's Jackson sorts map keys). */
export function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const result: Record<string, V> = {};
  for (const key of Object.keys(record).sort()) result[key] = record[key]!;
  return result;
}

/** Omits `undefined` and `null` fields (Clouddriver's JSON leaves nulls out). */
export function withoutNulls<T extends Record<string, unknown>>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined && field !== null) result[key] = field;
  return result as T;
}
