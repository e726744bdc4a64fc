import type { Cache } from '@stratus/plugin-api';

/** The attributes of every cached item of `type` (read without relationships: lookups answer attributes only). */
export async function cachedAttributes(cache: Cache, type: string): Promise<Record<string, unknown>[]> {
  return (await cache.getAll(type, { relationshipPrefixes: [] })).map((item) => item.attributes);
}
