import { cacheData } from '@stratus/plugin-api';
import { randomUUID } from 'node:crypto';
import type { CacheStore } from './cache-store.js';

/** The namespace of the stamps in a shared store (apart from every provider's items). */
export const VIEW_STAMPS_NAMESPACE = 'stratusViewStamps';

const TYPE = 'applications';
/** The stamp every write that names no application moves (edge-only merges, evictions). */
const ALL = '*';

/** Both sets of applications as one; `'all'` on either side stays `'all'`. */
function unionOf(applications: Iterable<string> | 'all', more: ReadonlySet<string> | 'all' | undefined): Set<string> | 'all' {
  if (applications === 'all' || more === 'all') return 'all';
  const union = new Set(applications);
  for (const name of more ?? []) union.add(name);
  return union;
}

/**
 * Per-application change stamps kept in the cache store replicas share (Redis, SQL), so a view one
 * replica built is known stale as soon as *another* replica wrote to its application
 * (docs/read-api.md, "Repeated reads"). A write replaces the stamp with a fresh random value (no
 * read-modify-write, so concurrent writers need no lock: any write makes it differ); a reader asks
 * for the application's stamp and the catch-all one in one round trip. Stamps go through the plain
 * `CacheStore` API, so every store serves them without a schema of its own.
 */
export class SharedApplicationStamps {
  /**
   * Applications whose publish failed (`'all'`: the catch-all), sent again with the next publish
   * (`publish([])` sends just them). A cycle that finds nothing new publishes nothing, so without this a
   * failed publish would leave other replicas' views stale until their time to live.
   */
  #pending: Set<string> | 'all' | undefined;

  constructor(private readonly store: CacheStore) {}

  /** Whether a failed publish is waiting to be sent again. */
  get pending(): boolean {
    return this.#pending !== undefined;
  }

  /** Marks these applications (or, with `'all'`, every application) changed for every replica. */
  async publish(applications: Iterable<string> | 'all'): Promise<void> {
    const names = unionOf(applications, this.#pending);
    this.#pending = undefined;
    const ids = names === 'all' ? [ALL] : [...names];
    if (ids.length === 0) return;
    const stamp = randomUUID();
    try {
      await this.store.mergeAll(
        TYPE,
        ids.map((id) => cacheData(id, { stamp })),
      );
    } catch (error) {
      // Keep them (with any that failed meanwhile) for the next try.
      this.#pending = unionOf(names, this.#pending);
      throw error;
    }
  }

  /** The application's current shared stamp: differs from an earlier one once any replica wrote to it. */
  async stampOf(application: string): Promise<string> {
    const items = await this.store.getAll(TYPE, [application, ALL], { relationshipPrefixes: [] });
    let own = '-';
    let all = '-';
    for (const item of items) {
      if (item.id === ALL) all = String(item.attributes.stamp);
      else own = String(item.attributes.stamp);
    }
    return `${all}/${own}`;
  }
}
