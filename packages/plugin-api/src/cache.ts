import type { CacheData } from './cache-data.js';

/**
 * Limits which relationships a read returns; relationships are the bulk of cached data.
 * `relationshipPrefixes: []` returns none; leaving it out returns all.
 */
export interface CacheFilter {
  /** Relationship types to return (by prefix); `[]` returns none. */
  readonly relationshipPrefixes?: readonly string[];
}

/**
 * The read side of the cache (Clouddriver's `Cache`). Every method only sees items that have
 * attribute data: ids known only through relationships, expired items and bookkeeping are invisible.
 */
export interface Cache {
  /** One item, or `undefined` when it has no attributes, has expired or never existed. */
  get(type: string, id: string, filter?: CacheFilter): Promise<CacheData | undefined>;
  /** Every item of a type. */
  getAll(type: string, filter?: CacheFilter): Promise<CacheData[]>;
  /** The items with these ids; missing ids are skipped. */
  getAllByIds(type: string, ids: readonly string[], filter?: CacheFilter): Promise<CacheData[]>;
  /** The subset of `ids` that exist, without loading their data. */
  existingIdentifiers(type: string, ids: readonly string[]): Promise<string[]>;
  /** All ids of a type. */
  getIdentifiers(type: string): Promise<string[]>;
  /** Ids matching a glob: `*` any run, `?` one character, `[...]` a character class. */
  filterIdentifiers(type: string, glob: string): Promise<string[]>;
  /**
   * Every visible item of a type that belongs to `application` (see {@link applicationOfItem}: the
   * `application` attribute, else `moniker.app`; compared case-insensitively), read through the
   * store's application index in one query per type instead of a walk over ids. Items without an
   * application are never returned. Optional so existing `Cache` implementations stay valid; when it
   * is absent, callers fall back to their id walk. Since SPI 1.3.
   */
  getAllByApplication?(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]>;
}

/**
 * The application a cached item belongs to, as the stores index it: the `application` attribute,
 * else `moniker.app`, lower-cased (Spinnaker application names are case-insensitive); `undefined`
 * when it has neither. Providers that want their items found by {@link Cache.getAllByApplication}
 * set one of the two attributes.
 */
export function applicationOfItem(attributes: Readonly<Record<string, unknown>>): string | undefined {
  const application = attributes.application;
  if (typeof application === 'string' && application !== '') return application.toLowerCase();
  const moniker = attributes.moniker as { app?: unknown } | null | undefined;
  return typeof moniker?.app === 'string' && moniker.app !== '' ? moniker.app.toLowerCase() : undefined;
}
