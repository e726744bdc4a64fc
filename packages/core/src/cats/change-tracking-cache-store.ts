import { applicationOfItem, type CacheData, type CacheFilter } from '@stratus/plugin-api';
import { APPLICATION_GENERATIONS, type ApplicationGenerations } from './application-generations.js';
import type { CacheStore, CacheStoreFactory, MergeOutcome } from './cache-store.js';
import { SharedApplicationStamps, VIEW_STAMPS_NAMESPACE } from './shared-application-stamps.js';

/**
 * A {@link CacheStore} that tells {@link ApplicationGenerations} which applications each write may
 * have changed: the applications of merged items that carry attributes; everything for a merge of
 * items without attributes (edges only, the application is unknown) and for evictions. Items the
 * store reports unchanged ({@link MergeOutcome}) move nothing.
 */
class ChangeTrackingCacheStore implements CacheStore {
  constructor(
    private readonly store: CacheStore,
    private readonly generations: ApplicationGenerations,
  ) {}

  get namespace(): string {
    return this.store.namespace;
  }

  async mergeAll(type: string, items: readonly CacheData[]): Promise<MergeOutcome | void> {
    let outcome: MergeOutcome | void = undefined;
    try {
      outcome = await this.store.mergeAll(type, items);
      return outcome;
    } finally {
      // Items the store reports unchanged change no view (a caching cycle that found nothing new
      // leaves every application's cached responses valid); after a failed write, all count.
      const unchanged = outcome?.unchanged;
      const applications = new Set<string>();
      let unknown = false;
      for (const item of items) {
        if (unchanged?.has(item.id)) continue;
        const application = applicationOfItem(item.attributes);
        if (application !== undefined) applications.add(application);
        else unknown = true;
      }
      if (unknown) this.generations.bumpAll();
      else if (applications.size > 0) this.generations.bump(applications);
      if (unknown || applications.size > 0) await this.#publish(unknown ? 'all' : applications);
      else if (this.generations.shared?.pending) await this.#publish([]);
    }
  }

  async evictAll(type: string, ids: readonly string[]): Promise<void> {
    try {
      await this.store.evictAll(type, ids);
    } finally {
      if (ids.length > 0) {
        this.generations.bumpAll();
        await this.#publish('all');
      }
    }
  }

  /**
   * Tells the other replicas. Best effort: a failure here must not fail (or hide the error of) the
   * write itself. The stamps keep what failed and send it with the next write through this factory,
   * even one that changed nothing; until then the readers' time to live bounds how long they miss it.
   */
  async #publish(applications: Iterable<string> | 'all'): Promise<void> {
    try {
      await this.generations.shared?.publish(applications);
    } catch {
      // Nothing to do: see above.
    }
  }

  getAll(type: string, ids: readonly string[] | undefined, filter?: CacheFilter): Promise<CacheData[]> {
    return this.store.getAll(type, ids, filter);
  }

  existingIds(type: string, ids: readonly string[]): Promise<string[]> {
    return this.store.existingIds(type, ids);
  }

  ids(type: string): Promise<string[]> {
    return this.store.ids(type);
  }

  filterIds(type: string, glob: string): Promise<string[]> {
    return this.store.filterIds(type, glob);
  }

  getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    return this.store.getAllByApplication(type, application, filter);
  }

  getSourceIds(type: string, source: string): Promise<string[]> {
    return this.store.getSourceIds(type, source);
  }

  setSourceIds(type: string, source: string, ids: readonly string[]): Promise<void> {
    return this.store.setSourceIds(type, source, ids);
  }

  types(): Promise<string[]> {
    return this.store.types();
  }
}

/**
 * Wraps a factory so every write through its stores moves the application generations; with
 * `shared`, also the stamps other replicas check (kept in the inner factory's store, untracked).
 */
export class ChangeTrackingCacheStoreFactory implements CacheStoreFactory {
  readonly #stores = new Map<string, CacheStore>();

  constructor(
    readonly inner: CacheStoreFactory,
    readonly generations: ApplicationGenerations = APPLICATION_GENERATIONS,
    options: { readonly shared?: boolean } = {},
  ) {
    generations.tracking = true;
    if (options.shared) generations.shared = new SharedApplicationStamps(inner.getStore(VIEW_STAMPS_NAMESPACE));
  }

  get kind(): string {
    return this.inner.kind;
  }

  getStore(namespace: string): CacheStore {
    let store = this.#stores.get(namespace);
    if (!store) this.#stores.set(namespace, (store = new ChangeTrackingCacheStore(this.inner.getStore(namespace), this.generations)));
    return store;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
