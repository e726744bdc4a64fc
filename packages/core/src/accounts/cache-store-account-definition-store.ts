import type { CacheStore } from '../cats/cache-store.js';
import type { AccountDefinitionStore, StoredAccountDefinition } from './account-definition-store.js';

/** The type stored definitions live under in their namespace. */
const TYPE = 'accountDefinitions';

/** The cache namespace used when definitions are kept in the cache store. */
export const ACCOUNT_DEFINITIONS_NAMESPACE = 'stratusAccounts';

/**
 * Keeps stored account definitions in a namespace of the configured cache store, so a Redis or SQL
 * deployment shares them between replicas without a dedicated table. Each definition is one item
 * whose id is the account name and whose attribute `definition` is its JSON (a string, so nulls and
 * nesting survive every store). Note that wiping the cache store wipes these definitions too.
 */
export class CacheStoreAccountDefinitionStore implements AccountDefinitionStore {
  readonly kind: string;

  constructor(
    private readonly store: CacheStore,
    kind = 'cache',
  ) {
    this.kind = kind;
  }

  async list(): Promise<StoredAccountDefinition[]> {
    return (await this.store.getAll(TYPE, undefined)).flatMap((item) => decode(item.attributes.definition));
  }

  async get(name: string): Promise<StoredAccountDefinition | undefined> {
    const [item] = await this.store.getAll(TYPE, [name]);
    return item ? decode(item.attributes.definition)[0] : undefined;
  }

  async save(definition: StoredAccountDefinition): Promise<void> {
    await this.store.mergeAll(TYPE, [
      { id: definition.name, attributes: { definition: JSON.stringify(definition), updatedAt: Date.now() }, relationships: {}, ttlSeconds: -1 },
    ]);
  }

  async delete(name: string): Promise<boolean> {
    const existed = (await this.store.existingIds(TYPE, [name])).length > 0;
    if (existed) await this.store.evictAll(TYPE, [name]);
    return existed;
  }
}

function decode(value: unknown): StoredAccountDefinition[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as StoredAccountDefinition;
    return typeof parsed?.name === 'string' && typeof parsed.type === 'string' ? [parsed] : [];
  } catch {
    return [];
  }
}
