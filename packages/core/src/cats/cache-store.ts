import type { CacheData, CacheFilter } from '@stratus/plugin-api';

/**
 * The storage behind one cache namespace (one provider). Memory, Redis and SQL implement it; the
 * CATS semantics (authority per source agent, relationship ownership, evictions) live above it in
 * {@link CatsProviderCache}, so every store behaves the same. Every store runs the cache-store
 * contract suite from `@stratus/testing`.
 *
 * The rules a store keeps:
 * - **Attributes.** A merge whose attribute map is non-empty replaces the item's whole map (keys with
 *   `null` or `undefined` values are dropped). A merge with an *empty* attribute map leaves stored
 *   attributes untouched, so an informative agent adding edges never wipes an authoritative agent's
 *   data (Redis's rule; in-memory Clouddriver would hide the item instead).
 * - **Relationships.** Stored under the names given (the engine suffixes them with the source agent);
 *   each list a merge carries replaces the list of that name; other names are kept.
 * - **Existence.** An item is visible to `getAll`, `existingIds`, `ids` and `filterIds` only if it
 *   has a non-empty attribute map and has not expired.
 * - **TTL.** An item merged with `ttlSeconds > 0` and attributes expires at `attributes.cacheExpiry`
 *   (epoch ms, set by the engine); a later merge with attributes and no TTL makes it permanent again.
 * - **Source bookkeeping.** `getSourceIds`/`setSourceIds` keep, per (type, source agent), the ids that
 *   source wrote last; they are never visible to reads.
 * - **Unchanged merges.** A store that can tell which merged items left the stored content exactly
 *   as it was (the same attributes, the listed relationships, the same expiry) reports their ids in
 *   {@link MergeOutcome}; views built from the cache stay valid across such writes (a caching cycle
 *   that found nothing new). A store that cannot tell returns nothing: every item counts as changed.
 */
export interface CacheStore {
  readonly namespace: string;
  mergeAll(type: string, items: readonly CacheData[]): Promise<MergeOutcome | void>;
  /** Removes items entirely (attributes and all relationships); unknown ids are ignored. */
  evictAll(type: string, ids: readonly string[]): Promise<void>;
  /** Visible items with these ids, or every visible item of the type when `ids` is undefined. Raw relationship names. */
  getAll(type: string, ids: readonly string[] | undefined, filter?: CacheFilter): Promise<CacheData[]>;
  existingIds(type: string, ids: readonly string[]): Promise<string[]>;
  ids(type: string): Promise<string[]>;
  /** Visible ids matching a glob (`*`, `?`, `[...]`). */
  filterIds(type: string, glob: string): Promise<string[]>;
  /**
   * Visible items of a type whose application ({@link applicationOfItem} of the stored attributes)
   * is `application` (lower-cased by the caller), from the store's application index: one indexed
   * read per type, never a scan of the type. Raw relationship names.
   */
  getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]>;
  getSourceIds(type: string, source: string): Promise<string[]>;
  setSourceIds(type: string, source: string, ids: readonly string[]): Promise<void>;
  /** Types that have ever been written, for stats and admin. */
  types(): Promise<string[]>;
}

/** What a merge tells its caller about the items it was given. */
export interface MergeOutcome {
  /**
   * Ids whose stored content the merge left exactly as it was. Never an id the merge changed: when
   * one id came more than once and any of its merges changed it, it is not here.
   */
  readonly unchanged: ReadonlySet<string>;
}

/** Hands out one {@link CacheStore} per namespace and owns the connection behind them. */
export interface CacheStoreFactory {
  /** A short name for logs and readiness (`memory`, `redis`, `postgres`, …). */
  readonly kind: string;
  getStore(namespace: string): CacheStore;
  /** Throws when the backing server is unreachable; used by readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
