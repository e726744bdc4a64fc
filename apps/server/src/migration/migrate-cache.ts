import { isDeepStrictEqual } from 'node:util';
import type { CacheStoreFactory } from '@stratus/core';
import type { CacheData } from '@stratus/plugin-api';
import { spread } from './verify-tasks.js';

export interface CacheProgress {
  readonly namespace: string;
  readonly type: string;
  /** Items of this type done / in this type. */
  readonly done: number;
  readonly total: number;
  /** Items done over every type so far. */
  readonly items: number;
}

/**
 * Copies every visible item (attributes, relationships under their stored per-agent names, expiry)
 * of the given provider namespaces from one cache store to another, type by type in batches. Merges
 * are idempotent, so it can be re-run. Source bookkeeping (which agent wrote which ids) cannot be
 * listed through the store interface and is not copied: a dual-write cycle (`caching.migration`)
 * records it in the target before the switch (docs/runbooks/cache-and-task-migration.md).
 */
export async function copyCache(options: {
  readonly from: CacheStoreFactory;
  readonly to: CacheStoreFactory;
  readonly namespaces: readonly string[];
  readonly batchSize?: number;
  readonly onProgress?: (progress: CacheProgress) => void;
}): Promise<{ namespaces: number; types: number; items: number }> {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  let items = 0;
  let types = 0;
  for (const namespace of options.namespaces) {
    const from = options.from.getStore(namespace);
    const to = options.to.getStore(namespace);
    for (const type of (await from.types()).sort()) {
      types += 1;
      const ids = await from.ids(type);
      for (let at = 0; at < ids.length; at += batchSize) {
        const batch = await from.getAll(type, ids.slice(at, at + batchSize));
        if (batch.length > 0) await to.mergeAll(type, batch);
        items += batch.length;
        options.onProgress?.({ namespace, type, done: Math.min(ids.length, at + batchSize), total: ids.length, items });
      }
      if (ids.length === 0) options.onProgress?.({ namespace, type, done: 0, total: 0, items });
    }
  }
  return { namespaces: options.namespaces.length, types, items };
}

export interface CacheVerifyReport {
  /** namespace → type → [from count, to count], only where they differ. */
  readonly countDifferences: Record<string, Record<string, [number, number]>>;
  readonly sampled: number;
  readonly differences: readonly string[];
  readonly items: number;
  readonly ok: boolean;
}

/** Per namespace and type: id counts, ids present on one side only, and a sample compared field by field. */
export async function verifyCache(options: {
  readonly from: CacheStoreFactory;
  readonly to: CacheStoreFactory;
  readonly namespaces: readonly string[];
  readonly samplePerType?: number;
  readonly onProgress?: (progress: CacheProgress) => void;
}): Promise<CacheVerifyReport> {
  const countDifferences: Record<string, Record<string, [number, number]>> = {};
  const differences: string[] = [];
  let sampled = 0;
  let items = 0;
  for (const namespace of options.namespaces) {
    const from = options.from.getStore(namespace);
    const to = options.to.getStore(namespace);
    const types = [...new Set([...(await from.types()), ...(await to.types())])].sort();
    for (const type of types) {
      const [a, b] = await Promise.all([from.ids(type), to.ids(type)]);
      items += a.length;
      if (a.length !== b.length) (countDifferences[namespace] ??= {})[type] = [a.length, b.length];
      const inB = new Set(b);
      const onlyA = a.filter((id) => !inB.has(id));
      const inA = new Set(a);
      const onlyB = b.filter((id) => !inA.has(id));
      if (onlyA.length > 0) differences.push(`${namespace}/${type}: ${onlyA.length} item(s) only in --from (first: ${onlyA.slice(0, 3).join(', ')})`);
      if (onlyB.length > 0) differences.push(`${namespace}/${type}: ${onlyB.length} item(s) only in --to (first: ${onlyB.slice(0, 3).join(', ')})`);
      const sample = spread(
        [...a].sort().filter((id) => inB.has(id)),
        options.samplePerType ?? 50,
      );
      const [left, right] = await Promise.all([from.getAll(type, sample), to.getAll(type, sample)]);
      const byId = new Map(right.map((item) => [item.id, item]));
      for (const item of left) {
        const other = byId.get(item.id);
        if (!other) continue; // expired between listing and reading
        const fields = differingItemFields(item, other);
        if (fields.length > 0) differences.push(`${namespace}/${type} ${item.id}: ${fields.join(', ')} differ`);
      }
      sampled += left.length;
      options.onProgress?.({ namespace, type, done: a.length, total: a.length, items });
    }
  }
  return { countDifferences, sampled, differences, items, ok: differences.length === 0 && Object.keys(countDifferences).length === 0 };
}

/** `attributes.<key>` and `relationships.<name>` that differ (relationship lists compared as sets). */
function differingItemFields(a: CacheData, b: CacheData): string[] {
  const fields: string[] = [];
  const keys = new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)]);
  for (const key of [...keys].sort()) {
    if (!isDeepStrictEqual(plain(a.attributes[key]), plain(b.attributes[key]))) fields.push(`attributes.${key}`);
  }
  const ra = a.relationships ?? {};
  const rb = b.relationships ?? {};
  for (const name of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
    const x = [...new Set(ra[name] ?? [])].sort();
    const y = [...new Set(rb[name] ?? [])].sort();
    if (!isDeepStrictEqual(x, y)) fields.push(`relationships.${name}`);
  }
  return fields;
}

function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
