import type { CacheData, CacheFilter } from '@stratus/plugin-api';
import type { Logger } from '@stratus/plugin-api';
import { silentLogger } from '@stratus/plugin-api';
import type { CounterMetric } from '../metrics/metrics-registry.js';
import type { CacheStore, CacheStoreFactory, MergeOutcome } from './cache-store.js';

/** What a dual-write cache store reports to its owner (failed copies, for metrics and logs). */
export interface DualWriteCacheHooks {
  readonly logger?: Logger;
  readonly failures?: CounterMetric;
}

/**
 * One cache namespace during a cache store migration (`caching.migration.target`): reads come from
 * `current`; every write (merges, evictions, source bookkeeping) goes to `current` and then to
 * `target`. The target keeps its own source bookkeeping: whenever the CATS engine reads a source's
 * ids, the target's record of that source is brought level with the current store's, and items the
 * target holds for the source that the current store does not hold at all are evicted from it,
 * so authoritative eviction is exact in both stores and stale leftovers (an earlier, abandoned
 * migration) go. A target write that fails never fails the agent: it is counted and logged, and the
 * next full caching cycle writes everything again. After one full cycle of every agent the target
 * holds what the current store holds, and switching reads to it has no cold period.
 */
export class DualWriteCacheStore implements CacheStore {
  private readonly logger: Logger;

  constructor(
    readonly current: CacheStore,
    readonly target: CacheStore,
    private readonly hooks: DualWriteCacheHooks = {},
  ) {
    this.logger = hooks.logger ?? silentLogger;
  }

  get namespace(): string {
    return this.current.namespace;
  }

  /** Runs a target write; failures are counted and logged, never thrown. */
  private async toTarget(what: string, type: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.hooks.failures?.inc({ operation: what });
      this.logger.warn(
        { err: error, namespace: this.namespace, type, operation: what },
        'cache write to the migration target failed; the next full caching cycle repeats it',
      );
    }
  }

  /** What the current store reports: reads (and the views built from them) come from it. */
  async mergeAll(type: string, items: readonly CacheData[]): Promise<MergeOutcome | void> {
    const outcome = await this.current.mergeAll(type, items);
    await this.toTarget('merge', type, () => this.target.mergeAll(type, items));
    return outcome;
  }

  async evictAll(type: string, ids: readonly string[]): Promise<void> {
    await this.current.evictAll(type, ids);
    await this.toTarget('evict', type, () => this.target.evictAll(type, ids));
  }

  async getSourceIds(type: string, source: string): Promise<string[]> {
    const ids = await this.current.getSourceIds(type, source);
    await this.toTarget('bookkeeping', type, async () => {
      const theirs = await this.target.getSourceIds(type, source);
      if (sameMembers(ids, theirs)) return;
      const keep = new Set(ids);
      const extra = theirs.filter((id) => !keep.has(id));
      // Only what the current store does not hold at all goes: an extra id may have just been merged
      // by this very write, or belong to another source.
      const held = new Set(extra.length > 0 ? await this.current.existingIds(type, extra) : []);
      const stale = extra.filter((id) => !held.has(id));
      if (stale.length > 0) await this.target.evictAll(type, stale);
      await this.target.setSourceIds(type, source, ids);
    });
    return ids;
  }

  async setSourceIds(type: string, source: string, ids: readonly string[]): Promise<void> {
    await this.current.setSourceIds(type, source, ids);
    await this.toTarget('bookkeeping', type, () => this.target.setSourceIds(type, source, ids));
  }

  getAll(type: string, ids: readonly string[] | undefined, filter?: CacheFilter): Promise<CacheData[]> {
    return this.current.getAll(type, ids, filter);
  }

  /** Reads stay on the current store until the operator switches, like every other read. */
  getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    return this.current.getAllByApplication(type, application, filter);
  }

  existingIds(type: string, ids: readonly string[]): Promise<string[]> {
    return this.current.existingIds(type, ids);
  }

  ids(type: string): Promise<string[]> {
    return this.current.ids(type);
  }

  filterIds(type: string, glob: string): Promise<string[]> {
    return this.current.filterIds(type, glob);
  }

  types(): Promise<string[]> {
    return this.current.types();
  }
}

/** The factory of a cache store migration: each namespace's store writes both, reads `current`. */
export class DualWriteCacheStoreFactory implements CacheStoreFactory {
  readonly kind: string;
  private readonly stores = new Map<string, DualWriteCacheStore>();

  constructor(
    readonly current: CacheStoreFactory,
    readonly target: CacheStoreFactory,
    private readonly hooks: DualWriteCacheHooks = {},
  ) {
    this.kind = current.kind;
  }

  getStore(namespace: string): DualWriteCacheStore {
    let store = this.stores.get(namespace);
    if (!store) {
      store = new DualWriteCacheStore(this.current.getStore(namespace), this.target.getStore(namespace), this.hooks);
      this.stores.set(namespace, store);
    }
    return store;
  }

  /** Readiness follows the current store: a target that is down only delays the migration. */
  ping(): Promise<void> {
    return this.current.ping();
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.current.close(), this.target.close()]);
  }
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
