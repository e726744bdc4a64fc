import type { Cache } from './cache.js';
import type { CacheData } from './cache-data.js';
import type { CacheResult } from './cache-result.js';

/** One provider's cache: reads plus the CATS write protocol (Clouddriver's `ProviderCache`). */
export interface ProviderCache extends Cache {
  /**
   * Stores a full result from `sourceAgentType`. For each type in `authoritativeTypes`, ids this
   * source wrote last time and not now are evicted; informative types never evict; explicit
   * evictions are honoured; a result with `partialResult` is stored like {@link addCacheResult}.
   */
  putCacheResult(sourceAgentType: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats>;
  /** Stores a result without authority-implied evictions (explicit evictions still apply). */
  addCacheResult(sourceAgentType: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats>;
  /** Upserts one item outside any agent's bookkeeping (e.g. on-demand records). */
  putCacheData(type: string, data: CacheData): Promise<void>;
  /** Removes items entirely: attributes and every agent's relationships. */
  evictDeletedItems(type: string, ids: readonly string[]): Promise<void>;
}

/** How much one write changed, for agent metrics. */
export interface CacheWriteStats {
  /** Items stored (new or updated). */
  readonly itemsWritten: number;
  /** Items evicted, by authority or explicitly. */
  readonly itemsEvicted: number;
}
