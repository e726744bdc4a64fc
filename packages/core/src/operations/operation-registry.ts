import type { OperationDefinition } from '@stratus/plugin-api';
import { injectable } from 'tsyringe';

/** An operation definition together with the cloud provider it was registered for. */
export interface RegisteredOperation {
  readonly cloudProvider: string;
  readonly definition: OperationDefinition;
}

/** Splits `name@version` into its parts (Clouddriver's `VersionedDescription`). */
export function parseOperationName(name: string): { base: string; version?: string } {
  const at = name.indexOf('@');
  return at === -1 ? { base: name } : { base: name.slice(0, at), version: name.slice(at + 1) };
}

/**
 * The operations providers offer, by cloud provider and name (Clouddriver's
 * `AnnotationsBasedAtomicOperationsRegistry`). A definition may be registered under a plain name or
 * under `name@version`; a lookup of `name@version` takes the exact versioned definition when there is
 * one and the plain one otherwise. The provider host calls {@link register} while providers load.
 */
/** The `cloudProvider` label of provider-independent operations (entity tags) in metrics and lookups. */
export const PROVIDER_INDEPENDENT = 'core';

@injectable()
export class OperationRegistry {
  private readonly byProvider = new Map<string, Map<string, OperationDefinition>>();
  private readonly independent = new Map<string, OperationDefinition>();

  /**
   * Registers an operation that belongs to no cloud (Clouddriver's entity tags): it is found under
   * every cloud provider (Orca posts `upsertEntityTags` to `/aws/ops` as well as to `/ops`) unless
   * that provider has its own operation of the name.
   */
  registerProviderIndependent(definition: OperationDefinition): void {
    if (!definition.name) throw new Error('A provider-independent operation was registered without a name');
    if (this.independent.has(definition.name)) throw new Error(`Provider-independent operation ${definition.name} is already registered`);
    this.independent.set(definition.name, definition);
  }

  /** Registers an operation; a second definition with the same cloud provider and name is an error. */
  register(cloudProvider: string, definition: OperationDefinition): void {
    if (!cloudProvider) throw new Error(`Operation ${definition.name} was registered without a cloud provider`);
    if (!definition.name) throw new Error(`An operation of cloud provider ${cloudProvider} was registered without a name`);
    let byName = this.byProvider.get(cloudProvider);
    if (!byName) this.byProvider.set(cloudProvider, (byName = new Map()));
    if (byName.has(definition.name)) {
      throw new Error(`Operation ${definition.name} is already registered for cloud provider ${cloudProvider}`);
    }
    byName.set(definition.name, definition);
  }

  /** The definition for `name` (or `name@version`) of one cloud provider. */
  find(cloudProvider: string, name: string): OperationDefinition | undefined {
    const byName = this.byProvider.get(cloudProvider);
    return byName?.get(name) ?? byName?.get(parseOperationName(name).base) ?? this.findIndependent(name);
  }

  private findIndependent(name: string): OperationDefinition | undefined {
    return this.independent.get(name) ?? this.independent.get(parseOperationName(name).base);
  }

  /**
   * Every registration of `name` across cloud providers, for the legacy `POST /ops` whose
   * descriptions do not say which cloud provider they are for.
   */
  findAnywhere(name: string): RegisteredOperation[] {
    const found: RegisteredOperation[] = [];
    for (const [cloudProvider, byName] of this.byProvider) {
      const definition = byName.get(name) ?? byName.get(parseOperationName(name).base);
      if (definition) found.push({ cloudProvider, definition });
    }
    const independent = this.findIndependent(name);
    return found.length === 0 && independent ? [{ cloudProvider: PROVIDER_INDEPENDENT, definition: independent }] : found;
  }

  cloudProviders(): string[] {
    return [...this.byProvider.keys()];
  }

  all(): RegisteredOperation[] {
    return [
      ...[...this.byProvider.entries()].flatMap(([cloudProvider, byName]) => [...byName.values()].map((definition) => ({ cloudProvider, definition }))),
      ...[...this.independent.values()].map((definition) => ({ cloudProvider: PROVIDER_INDEPENDENT, definition })),
    ];
  }

  /** Distinct operation names without versions, sorted; `GET /features/stages` lists them. */
  operationNames(): string[] {
    return [...new Set(this.all().map(({ definition }) => parseOperationName(definition.name).base))].sort();
  }
}
