import type { CacheUpsertRow } from './sql-dialect-adapter.js';

/** Bind parameters per row of a multi-row `values` cache upsert. */
export const CACHE_UPSERT_PARAMETERS_PER_ROW = 8;

/** The upsert's parameters for multi-row `values`, eight per row in column order (MySQL and SQLite). */
export function cacheUpsertRowParameters(namespace: string, type: string, rows: readonly CacheUpsertRow[]): unknown[] {
  const params = new Array<unknown>(rows.length * CACHE_UPSERT_PARAMETERS_PER_ROW);
  let p = 0;
  for (const i of rows) {
    params[p++] = namespace;
    params[p++] = type;
    params[p++] = i.id;
    params[p++] = i.application;
    params[p++] = i.attributes;
    params[p++] = i.relationships;
    params[p++] = i.expiresAt;
    params[p++] = i.bodyHash;
  }
  return params;
}
