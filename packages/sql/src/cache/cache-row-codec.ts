import { hash } from 'node:crypto';
import { applicationOfItem, type CacheData, type CacheFilter } from '@stratus/plugin-api';
import { hasKeys, relationshipAllowed, withoutNullAttributes as withoutNulls } from '@stratus/core';
import type { CacheItemsTable } from '../database/stratus-tables.js';

/** What one merge writes to one row. */
export interface EncodedItem {
  readonly id: string;
  readonly application: string | null;
  /**
   * `null`: the merge carried no attributes (keep what is stored); `''`: it carried only null values
   * (clear them, the item becomes invisible); otherwise the attribute map as JSON.
   */
  readonly attributes: string | null;
  /** `null` when the merge carried no relationship names; otherwise the names it replaces, as JSON. */
  readonly relationships: string | null;
  readonly expiresAt: number | null;
  readonly bodyHash: string;
}

/**
 * The raw row a read returns (bigint columns arrive as strings from `pg`): `body` is
 * `[attributes, relationships|null]` as one JSON text; reads without relationships select `attributes` alone.
 */
export interface ItemRow extends Readonly<Pick<CacheItemsTable, 'id' | 'expires_at'>> {
  readonly body?: string;
  readonly attributes?: string;
}

/** Picks the application an item belongs to; the default is the SPI's `applicationOfItem` (`application`, else `moniker.app`). */
export type ApplicationOf = (type: string, id: string, attributes: Record<string, unknown>) => string | undefined;

export const defaultApplicationOf: ApplicationOf = (_type, _id, attributes) => applicationOfItem(attributes);

/**
 * Folds several merges of one id into one, as applying them in order would: the last non-empty
 * attribute map wins (with its TTL), relationship names accumulate with later lists winning.
 * A multi-row upsert may not touch the same row twice, so duplicates are folded first.
 */
export function foldDuplicates(items: readonly CacheData[]): readonly CacheData[] {
  const byId = new Map<string, CacheData>();
  let duplicates = false;
  for (const item of items) {
    const previous = byId.get(item.id);
    if (!previous) {
      byId.set(item.id, item);
      continue;
    }
    duplicates = true;
    const attributesWin = hasKeys(item.attributes);
    byId.set(item.id, {
      id: item.id,
      attributes: attributesWin ? item.attributes : previous.attributes,
      ttlSeconds: attributesWin ? item.ttlSeconds : previous.ttlSeconds,
      relationships: { ...previous.relationships, ...item.relationships },
    });
  }
  return duplicates ? [...byId.values()] : items;
}

/** Turns a merge into column values, following the store rules in core's `CacheStore` doc comment. */
export function encodeItem(type: string, item: CacheData, now: number, applicationOf: ApplicationOf): EncodedItem {
  let attributes: string | null = null;
  let application: string | null = null;
  let expiresAt: number | null = null;
  if (hasKeys(item.attributes)) {
    const kept = withoutNulls(item.attributes);
    if (hasKeys(kept)) {
      attributes = JSON.stringify(kept);
      application = applicationOf(type, item.id, kept)?.toLowerCase() ?? null;
      if (item.ttlSeconds > 0) {
        const expiry = Number(kept.cacheExpiry);
        expiresAt = Number.isFinite(expiry) ? expiry : now + item.ttlSeconds * 1000;
      }
    } else attributes = '';
  }
  const relationships = hasKeys(item.relationships) ? JSON.stringify(item.relationships) : null;
  // One-shot hashing (no Hash object per item); the separators keep the four parts apart.
  const body = `${attributes ?? '\u0000'}\u0001${relationships ?? '\u0000'}\u0001${expiresAt ?? ''}\u0001${application ?? ''}`;
  return { id: item.id, application, attributes, relationships, expiresAt, bodyHash: hash('sha1', body, 'base64') };
}

/** Turns a stored row back into CacheData, keeping only the relationship names the filter allows. */
export function decodeRow(row: ItemRow, now: number, filter: CacheFilter | undefined): CacheData {
  let attributes: Record<string, unknown>;
  let stored: Record<string, string[]> | null = null;
  if (row.body !== undefined) [attributes, stored] = JSON.parse(row.body) as [Record<string, unknown>, Record<string, string[]> | null];
  else attributes = JSON.parse(row.attributes!) as Record<string, unknown>;
  let relationships: Record<string, string[]> = {};
  if (stored) {
    if (filter?.relationshipPrefixes) {
      for (const name in stored) if (relationshipAllowed(name, filter)) relationships[name] = stored[name]!;
    } else relationships = stored;
  }
  const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
  const ttlSeconds = expiresAt === null ? -1 : Math.max(1, Math.ceil((expiresAt - now) / 1000));
  return { id: row.id, attributes, relationships, ttlSeconds };
}
