import { randomUUID } from 'node:crypto';
import type { CacheStore } from '../cats/cache-store.js';
import type { EntityTags } from './entity-tags-model.js';

/** Where entity tags are kept (Clouddriver keeps them in Front50 and indexes them in Elasticsearch). */
export interface EntityTagsStore {
  /** Every stored `EntityTags`. */
  list(): Promise<EntityTags[]>;
  /** The tags with these ids that exist, in no particular order. */
  getMany(ids: readonly string[]): Promise<EntityTags[]>;
  /** Stores (replaces) each by its id. */
  save(entityTags: readonly EntityTags[]): Promise<void>;
  /** Removes one; true when it existed. */
  delete(id: string): Promise<boolean>;
}

/** The cache namespace entity tags live in when they are kept in the cache store. */
export const ENTITY_TAGS_NAMESPACE = 'stratusEntityTags';
const TYPE = 'entityTags';
/** One item whose `version` changes on every write, so readers know when their decoded copy is stale. */
const VERSION_TYPE = 'entityTagsVersion';
const VERSION_ID = 'current';

/**
 * {@link EntityTagsStore} in a namespace of the configured cache store (memory, Redis or SQL), so
 * replicas share tags without Elasticsearch or Front50. Each `EntityTags` is one item keyed by its
 * id with its JSON as a string attribute (so nulls, nesting and object values survive every
 * store). Like stored accounts, the tags go when that namespace is truncated.
 */
export class CacheStoreEntityTagsStore implements EntityTagsStore {
  private decoded: { version: string; tags: Promise<EntityTags[]> } | undefined;

  constructor(private readonly store: CacheStore) {}

  /**
   * Every entry. Deck lists an application's tags on every load, so the decoded list is kept
   * while the store's write version (written after every change, by any replica) stays the same:
   * a read costs one small lookup unless something changed. The version is read before the
   * entries, so a write racing a reload only makes the next read reload again.
   */
  async list(): Promise<EntityTags[]> {
    const version = await this.version();
    if (version !== undefined && this.decoded?.version === version) return this.decoded.tags;
    const tags = this.store.getAll(TYPE, undefined).then((items) => items.flatMap((item) => decode(item.attributes.entityTags)));
    if (version !== undefined) this.decoded = { version, tags };
    tags.catch(() => {
      if (this.decoded?.tags === tags) this.decoded = undefined;
    });
    return tags;
  }

  private async version(): Promise<string | undefined> {
    const [item] = await this.store.getAll(VERSION_TYPE, [VERSION_ID]);
    const version = item?.attributes.version;
    return typeof version === 'string' ? version : undefined;
  }

  private async bumpVersion(): Promise<void> {
    this.decoded = undefined;
    await this.store.mergeAll(VERSION_TYPE, [{ id: VERSION_ID, attributes: { version: randomUUID() }, relationships: {}, ttlSeconds: -1 }]);
  }

  async getMany(ids: readonly string[]): Promise<EntityTags[]> {
    if (ids.length === 0) return [];
    return (await this.store.getAll(TYPE, [...new Set(ids)])).flatMap((item) => decode(item.attributes.entityTags));
  }

  async save(entityTags: readonly EntityTags[]): Promise<void> {
    if (entityTags.length === 0) return;
    await this.store.mergeAll(
      TYPE,
      entityTags.map((tags) => ({ id: tags.id, attributes: { entityTags: JSON.stringify(tags) }, relationships: {}, ttlSeconds: -1 })),
    );
    await this.bumpVersion();
  }

  async delete(id: string): Promise<boolean> {
    const existed = (await this.store.existingIds(TYPE, [id])).length > 0;
    if (existed) {
      await this.store.evictAll(TYPE, [id]);
      await this.bumpVersion();
    }
    return existed;
  }
}

function decode(value: unknown): EntityTags[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as EntityTags;
    return typeof parsed?.id === 'string' && Array.isArray(parsed.tags) ? [parsed] : [];
  } catch {
    return [];
  }
}
