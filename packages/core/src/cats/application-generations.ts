import type { SharedApplicationStamps } from './shared-application-stamps.js';

/**
 * A counter per application that moves whenever cached data of that application may have changed,
 * so views built from the cache (and the responses serialised from them) can be reused until then.
 * Writes that name no application (relationship-only merges, evictions by id) move every counter.
 * The counters are process-local; with a store replicas share, {@link shared} carries the changes
 * to the others (users still bound their reuse with a time to live, for writers that do not
 * publish: docs/read-api.md, "Repeated reads").
 */
export class ApplicationGenerations {
  #all = 0;
  readonly #byApplication = new Map<string, number>();
  /**
   * True once a store reports its writes here. Until then nothing moves the counters, so their
   * users must not rely on them (caches built without the tracking wrapper, as in some tests).
   */
  tracking = false;
  /** Stamps in the store replicas share; absent with a process-local store (memory). */
  shared: SharedApplicationStamps | undefined;

  /** The current generation of an application (lower-case name); any change makes it differ. */
  of(application: string): string {
    return `${this.#all}.${this.#byApplication.get(application) ?? 0}`;
  }

  bump(applications: Iterable<string>): void {
    for (const application of applications) this.#byApplication.set(application, (this.#byApplication.get(application) ?? 0) + 1);
  }

  bumpAll(): void {
    this.#all++;
    // Counters of single applications are meaningless now; drop them so the map does not grow forever.
    this.#byApplication.clear();
  }
}

/** The process's generations, moved by every {@link ChangeTrackingCacheStoreFactory}. */
export const APPLICATION_GENERATIONS = new ApplicationGenerations();
