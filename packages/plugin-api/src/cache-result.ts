import type { CacheData } from './cache-data.js';

/** What a caching agent returns from one run. */
export interface CacheResult {
  /** Items by type. */
  readonly cacheResults: Readonly<Record<string, readonly CacheData[]>>;
  /** Explicit evictions by type, on top of what authority implies. */
  readonly evictions?: Readonly<Record<string, readonly string[]>>;
  /** A partial result is stored without any authority-implied eviction. */
  readonly partialResult?: boolean;
  /** Free-form details surfaced by `/cache/introspection`. */
  readonly introspectionDetails?: Record<string, unknown>;
}
