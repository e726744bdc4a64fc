/**
 * One cached item, as Clouddriver's CATS `CacheData`.
 *
 * `relationships` maps the *type* of related items to their ids (cache keys), e.g. a server group
 * has `relationships.instances = ['aws:instances:prod:us-east-1:i-1', …]`.
 */
export interface CacheData {
  /** The cache key, `<cloudProvider>:<type>:…`. */
  readonly id: string;
  /**
   * Seconds this item lives; `<= 0` means no expiry. An item written with a TTL carries an absolute
   * `cacheExpiry` (epoch ms) attribute, so its expiry survives a read-and-rewrite.
   */
  readonly ttlSeconds: number;
  /** The item's data; last writer wins for the whole map. Items with no attributes are invisible to reads. */
  readonly attributes: Record<string, unknown>;
  /** Related ids by their type; owned per writing agent and unioned on read. */
  readonly relationships: Record<string, readonly string[]>;
}

/** Builds a {@link CacheData}; a convenience for agents. */
export function cacheData(id: string, attributes: Record<string, unknown>, relationships: Record<string, readonly string[]> = {}, ttlSeconds = -1): CacheData {
  return { id, attributes, relationships, ttlSeconds };
}
