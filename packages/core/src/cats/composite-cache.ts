import type { Cache, CacheData, CacheFilter } from '@stratus/plugin-api';

/**
 * The read view over every provider's cache (Clouddriver's CompositeCache): each call fans out to
 * all caches, and items with the same id are merged — attributes laid over each other in cache
 * order, relationships unioned.
 */
export class CompositeCache implements Cache {
  constructor(private readonly caches: () => readonly Cache[]) {}

  async get(type: string, id: string, filter?: CacheFilter): Promise<CacheData | undefined> {
    return (await this.getAllByIds(type, [id], filter))[0];
  }

  async getAll(type: string, filter?: CacheFilter): Promise<CacheData[]> {
    return merge(await Promise.all(this.caches().map((cache) => cache.getAll(type, filter))));
  }

  async getAllByIds(type: string, ids: readonly string[], filter?: CacheFilter): Promise<CacheData[]> {
    if (ids.length === 0) return [];
    return merge(await Promise.all(this.caches().map((cache) => cache.getAllByIds(type, ids, filter))));
  }

  async existingIdentifiers(type: string, ids: readonly string[]): Promise<string[]> {
    return union(await Promise.all(this.caches().map((cache) => cache.existingIdentifiers(type, ids))));
  }

  async getIdentifiers(type: string): Promise<string[]> {
    return union(await Promise.all(this.caches().map((cache) => cache.getIdentifiers(type))));
  }

  async filterIdentifiers(type: string, glob: string): Promise<string[]> {
    return union(await Promise.all(this.caches().map((cache) => cache.filterIdentifiers(type, glob))));
  }

  /** Every cache's application index; a cache without one contributes nothing. */
  async getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    return merge(await Promise.all(this.caches().map((cache) => cache.getAllByApplication?.(type, application, filter) ?? Promise.resolve([]))));
  }
}

function union(lists: string[][]): string[] {
  if (lists.length === 1) return lists[0]!;
  return [...new Set(lists.flat())];
}

function merge(lists: CacheData[][]): CacheData[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? [];
  const byId = new Map<string, CacheData>();
  for (const list of nonEmpty) {
    for (const item of list) {
      const existing = byId.get(item.id);
      if (!existing) {
        byId.set(item.id, item);
        continue;
      }
      const relationships: Record<string, string[]> = {};
      for (const [name, ids] of Object.entries(existing.relationships)) relationships[name] = [...ids];
      for (const [name, ids] of Object.entries(item.relationships)) {
        relationships[name] = [...new Set([...(relationships[name] ?? []), ...ids])];
      }
      byId.set(item.id, {
        id: item.id,
        attributes: { ...existing.attributes, ...item.attributes },
        relationships,
        ttlSeconds: Math.max(existing.ttlSeconds, item.ttlSeconds),
      });
    }
  }
  return [...byId.values()];
}
