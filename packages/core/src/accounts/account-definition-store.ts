import { createToken } from '@stratus/plugin-api';

/**
 * A stored account definition (`account.storage.enabled`), as `POST /credentials` receives it:
 * `name`, `type` (the cloud provider, e.g. `kubernetes`) and the provider's account fields.
 */
export type StoredAccountDefinition = Readonly<Record<string, unknown>> & { readonly name: string; readonly type: string };

/**
 * Where stored account definitions live (Clouddriver's `AccountDefinitionRepository`). The memory
 * adapter keeps them in process; Redis/SQL adapters may keep them in their store.
 */
export interface AccountDefinitionStore {
  readonly kind: string;
  list(): Promise<StoredAccountDefinition[]>;
  get(name: string): Promise<StoredAccountDefinition | undefined>;
  /** Creates or replaces the definition with this name. */
  save(definition: StoredAccountDefinition): Promise<void>;
  /** False when there was nothing to delete. */
  delete(name: string): Promise<boolean>;
}

export const ACCOUNT_DEFINITION_STORE = createToken<AccountDefinitionStore>('core.account-definition-store');

/** Keeps definitions in process memory (copied in and out, so callers cannot mutate them). */
export class MemoryAccountDefinitionStore implements AccountDefinitionStore {
  readonly kind = 'memory';
  private readonly definitions = new Map<string, StoredAccountDefinition>();

  async list(): Promise<StoredAccountDefinition[]> {
    return [...this.definitions.values()].map((definition) => structuredClone(definition));
  }

  async get(name: string): Promise<StoredAccountDefinition | undefined> {
    const definition = this.definitions.get(name);
    return definition && structuredClone(definition);
  }

  async save(definition: StoredAccountDefinition): Promise<void> {
    this.definitions.set(definition.name, structuredClone(definition));
  }

  async delete(name: string): Promise<boolean> {
    return this.definitions.delete(name);
  }
}
