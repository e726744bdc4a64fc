import type { CacheData, CacheFilter, CacheNamespaceOptions, CacheResult, CacheWriteStats, ProviderCache } from '@stratus/plugin-api';
import type { CacheStore } from './cache-store.js';
import { assertValidType } from './invalid-type-error.js';

/** Separates a relationship type from the agent that wrote it in stored relationship names. */
const SOURCE_SEPARATOR = ':';

/**
 * The CATS write protocol over any {@link CacheStore} (Clouddriver's DefaultProviderCache, with its
 * on-demand quirk fixed).
 *
 * - Authority is per (type, source agent): a full result evicts exactly the ids that source wrote
 *   last time and not now. Informative types never evict. Explicit evictions always apply.
 * - Partial results (and so on-demand refreshes, which are stored as partial results of the agent
 *   owning the resource) add their ids to the source's set and never evict siblings; the next full
 *   run of that agent evicts them if they are gone.
 * - An authoritative type that comes back with zero items does not wipe what the source wrote unless
 *   the namespace sets `supportsFullEviction`.
 * - Relationships are stored as `<relType>:<sourceAgent>` so each agent owns its own edges; reads
 *   strip the suffix and union the lists. Attributes are last-writer-wins for the whole map.
 * - TTL: an item with `ttlSeconds > 0` gets an absolute `cacheExpiry`; an item rewritten with no TTL
 *   but a `cacheExpiry` attribute keeps that expiry, so expiry survives a read-and-rewrite.
 */
export class CatsProviderCache implements ProviderCache {
  private readonly sourcedNames = new Map<string, Map<string, string>>();

  constructor(
    readonly store: CacheStore,
    private readonly options: CacheNamespaceOptions = {},
    private readonly now: () => number = Date.now,
  ) {}

  get namespace(): string {
    return this.store.namespace;
  }

  putCacheResult(source: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats> {
    return this.write(source, authoritativeTypes, result, !result.partialResult);
  }

  addCacheResult(source: string, authoritativeTypes: readonly string[], result: CacheResult): Promise<CacheWriteStats> {
    return this.write(source, authoritativeTypes, result, false);
  }

  async putCacheData(type: string, data: CacheData): Promise<void> {
    assertValidType(type);
    await this.store.mergeAll(type, [this.normalize(data, undefined)]);
  }

  async evictDeletedItems(type: string, ids: readonly string[]): Promise<void> {
    assertValidType(type);
    if (ids.length > 0) await this.store.evictAll(type, ids);
  }

  private async write(source: string, authoritativeTypes: readonly string[], result: CacheResult, full: boolean): Promise<CacheWriteStats> {
    const evictionsByType = result.evictions ?? {};
    const types = new Set([...Object.keys(result.cacheResults), ...authoritativeTypes, ...Object.keys(evictionsByType)]);
    for (const type of types) assertValidType(type);
    const authoritative = new Set(authoritativeTypes);
    let itemsWritten = 0;
    let itemsEvicted = 0;

    for (const type of types) {
      const items = this.dedupe(result.cacheResults[type] ?? []);
      const explicit = evictionsByType[type] ?? [];
      const normalized = items.map((item) => this.normalize(item, source));
      if (normalized.length > 0) await this.store.mergeAll(type, normalized);
      itemsWritten += normalized.length;

      const toEvict = new Set(explicit);
      if (authoritative.has(type)) {
        const previous = await this.store.getSourceIds(type, source);
        const current = new Set(items.map((item) => item.id));
        let next: Set<string>;
        const guarded = full && items.length === 0 && !this.options.supportsFullEviction;
        if (full && !guarded) {
          for (const id of previous) if (!current.has(id)) toEvict.add(id);
          next = current;
        } else {
          // Partial, on-demand, or an empty result we refuse to treat as "everything is gone".
          next = new Set(previous);
          for (const id of current) next.add(id);
        }
        for (const id of toEvict) next.delete(id);
        if (!sameMembers(previous, next)) await this.store.setSourceIds(type, source, [...next]);
      }
      if (toEvict.size > 0) {
        const ids = [...toEvict];
        await this.store.evictAll(type, ids);
        itemsEvicted += ids.length;
      }
    }
    return { itemsWritten, itemsEvicted };
  }

  private dedupe(items: readonly CacheData[]): readonly CacheData[] {
    if (items.length < 2) return items;
    const ids = new Set<string>();
    for (const item of items) ids.add(item.id);
    if (ids.size === items.length) return items; // the common case: no copy
    const seen = new Map<string, CacheData>();
    for (const item of items) seen.set(item.id, item); // the last one wins, as a later merge would
    return [...seen.values()];
  }

  /** Applies the TTL rule and suffixes relationship names with the source (when there is one). */
  private normalize(item: CacheData, source: string | undefined): CacheData {
    let { attributes, ttlSeconds } = item;
    if (ttlSeconds > 0) {
      if (attributes.cacheExpiry === undefined) attributes = { ...attributes, cacheExpiry: this.now() + ttlSeconds * 1000 };
    } else if (typeof attributes.cacheExpiry === 'number') {
      ttlSeconds = Math.max(1, Math.ceil((attributes.cacheExpiry - this.now()) / 1000));
    }
    let relationships = item.relationships;
    if (source !== undefined) {
      relationships = {};
      for (const name in item.relationships) relationships[this.sourcedName(name, source)] = item.relationships[name]!;
    }
    return { id: item.id, attributes, relationships, ttlSeconds };
  }

  /** `<relType>:<source>`, built once per pair: one shared string instead of one per item. */
  private sourcedName(name: string, source: string): string {
    let bySource = this.sourcedNames.get(source);
    if (!bySource) this.sourcedNames.set(source, (bySource = new Map()));
    let sourced = bySource.get(name);
    if (sourced === undefined) {
      sourced = name + SOURCE_SEPARATOR + source;
      void ((sourced as unknown as number) | 0); // flatten: it is kept in every stored item
      bySource.set(name, sourced);
    }
    return sourced;
  }

  // ---- reads: strip the source suffix and union every agent's edges ----

  async get(type: string, id: string, filter?: CacheFilter): Promise<CacheData | undefined> {
    return (await this.getAllByIds(type, [id], filter))[0];
  }

  async getAll(type: string, filter?: CacheFilter): Promise<CacheData[]> {
    return (await this.store.getAll(type, undefined, filter)).map(mergeRelationships);
  }

  async getAllByIds(type: string, ids: readonly string[], filter?: CacheFilter): Promise<CacheData[]> {
    if (ids.length === 0) return [];
    return (await this.store.getAll(type, ids, filter)).map(mergeRelationships);
  }

  existingIdentifiers(type: string, ids: readonly string[]): Promise<string[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.store.existingIds(type, ids);
  }

  getIdentifiers(type: string): Promise<string[]> {
    return this.store.ids(type);
  }

  filterIdentifiers(type: string, glob: string): Promise<string[]> {
    return this.store.filterIds(type, glob);
  }

  async getAllByApplication(type: string, application: string, filter?: CacheFilter): Promise<CacheData[]> {
    assertValidType(type);
    if (application === '') return [];
    return (await this.store.getAllByApplication(type, application.toLowerCase(), filter)).map(mergeRelationships);
  }
}

function sameMembers(previous: readonly string[], next: Set<string>): boolean {
  if (previous.length !== next.size) return false;
  for (const id of previous) if (!next.has(id)) return false;
  return true;
}

/** Turns `{ 'instances:agentA': [...], 'instances:agentB': [...] }` into `{ instances: [union] }`. */
export function mergeRelationships(data: CacheData): CacheData {
  const merged: Record<string, string[]> = {};
  let multi: Set<string> | undefined;
  for (const rawName in data.relationships) {
    const cut = rawName.indexOf(SOURCE_SEPARATOR);
    const name = cut === -1 ? rawName : rawName.slice(0, cut);
    const ids = data.relationships[rawName]!;
    const existing = merged[name];
    if (existing === undefined) merged[name] = ids as string[];
    else {
      (multi ??= new Set()).add(name);
      merged[name] = existing.concat(ids);
    }
  }
  if (multi) for (const name of multi) merged[name] = [...new Set(merged[name])];
  return { id: data.id, attributes: data.attributes, relationships: merged, ttlSeconds: data.ttlSeconds };
}
