import type { Cache, CacheData, CacheFilter } from '@stratus/plugin-api';

/** Only the relationships `filter` asks for, as the stores apply it (by prefix; `[]` none). */
function filtered(item: CacheData, filter: CacheFilter | undefined): CacheData {
  const prefixes = filter?.relationshipPrefixes;
  if (!prefixes) return item;
  const relationships: Record<string, readonly string[]> = {};
  for (const [name, ids] of Object.entries(item.relationships)) if (prefixes.some((p) => name.startsWith(p))) relationships[name] = ids;
  return { ...item, relationships };
}

/**
 * A read-only view of a cache whose `getAllByIds` answers the preloaded types from one read of the
 * application index per type (`Cache.getAllByApplication`), so view code written against id lookups
 * (one bulk read per cluster, per server group…) costs one query per type for a whole application.
 *
 * Answers stay those of the cache: the ids still come from the caller (relationships of the walk),
 * results keep the order (and duplicates) of the ids asked for as every store does, and ids the
 * index did not return (an item without an application, one whose name does not parse, one of
 * another application) are read by id. Anything but `getAllByIds` of a preloaded type passes through.
 * Meant for one request: it does not see writes after {@link preloadApplication}.
 */
export class ApplicationPreloadedCache implements Cache {
  private constructor(
    private readonly cache: Cache,
    private readonly preloaded: ReadonlyMap<string, ReadonlyMap<string, CacheData>>,
  ) {}

  /** `cache` itself when it has no application index (callers then walk ids as before). */
  static async load(cache: Cache, application: string, types: readonly string[]): Promise<Cache> {
    if (!cache.getAllByApplication) return cache;
    const byApplication = cache.getAllByApplication.bind(cache);
    const loaded = await Promise.all(types.map(async (type) => [type, new Map((await byApplication(type, application)).map((i) => [i.id, i]))] as const));
    return new ApplicationPreloadedCache(cache, new Map(loaded));
  }

  get(type: string, id: string, filter?: CacheFilter) {
    return this.cache.get(type, id, filter);
  }

  getAll(type: string, filter?: CacheFilter) {
    return this.cache.getAll(type, filter);
  }

  async getAllByIds(type: string, ids: readonly string[], filter?: CacheFilter): Promise<CacheData[]> {
    const known = this.preloaded.get(type);
    if (!known) return this.cache.getAllByIds(type, ids, filter);
    const missing = [...new Set(ids.filter((id) => !known.has(id)))];
    const fetched = missing.length > 0 ? new Map((await this.cache.getAllByIds(type, missing, filter)).map((i) => [i.id, i])) : undefined;
    return ids.flatMap((id) => {
      const item = known.get(id);
      return item ? [filtered(item, filter)] : (fetched?.get(id) ?? []);
    });
  }

  existingIdentifiers(type: string, ids: readonly string[]) {
    return this.cache.existingIdentifiers(type, ids);
  }

  getIdentifiers(type: string) {
    return this.cache.getIdentifiers(type);
  }

  filterIdentifiers(type: string, glob: string) {
    return this.cache.filterIdentifiers(type, glob);
  }

  getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    return this.cache.getAllByApplication!(type, application, filter);
  }
}
