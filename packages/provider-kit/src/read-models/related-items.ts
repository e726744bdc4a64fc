import type { Cache, CacheData } from '@stratus/plugin-api';

/**
 * Every item `items` relate to through `type` edges, read in one bulk read (without their own
 * edges), by id: what {@link relatedItems} then picks from for each item.
 */
export async function loadRelated(cache: Cache, items: readonly CacheData[], type: string): Promise<Map<string, CacheData>> {
  const keys = [...new Set(items.flatMap((item) => item.relationships[type] ?? []))];
  return new Map((await cache.getAllByIds(type, keys, { relationshipPrefixes: [] })).map((related) => [related.id, related]));
}

/**
 * The items `item` relates to through `type` edges, in edge order, from the ones read in bulk
 * (`loaded`). An edge to an item not read (gone from the cache, or never described) is skipped.
 */
export function relatedItems(item: CacheData, type: string, loaded: ReadonlyMap<string, CacheData>): CacheData[] {
  return (item.relationships[type] ?? []).map((key) => loaded.get(key)).filter((related): related is CacheData => related !== undefined);
}
