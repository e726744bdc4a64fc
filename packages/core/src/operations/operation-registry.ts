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
@injectable()
export class OperationRegistry {
  private readonly byProvider = new Map<string, Map<string, OperationDefinition>>();

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
    if (!byName) return undefined;
    return byName.get(name) ?? byName.get(parseOperationName(name).base);
  }

  /**
   * Every registration of `name` across cloud providers, for the legacy `POST /ops` whose
   * descriptions do not say which cloud provider they are for.
   */
  findAnywhere(name: string): RegisteredOperation[] {
    const found: RegisteredOperation[] = [];
    for (const cloudProvider of this.byProvider.keys()) {
      const definition = this.find(cloudProvider, name);
      if (definition) found.push({ cloudProvider, definition });
    }
    return found;
  }

  cloudProviders(): string[] {
    return [...this.byProvider.keys()];
  }

  all(): RegisteredOperation[] {
    return [...this.byProvider.entries()].flatMap(([cloudProvider, byName]) =>
      [...byName.values()].map((definition) => ({ cloudProvider, definition })),
    );
  }

  /** Distinct operation names without versions, sorted; `GET /features/stages` lists them. */
  operationNames(): string[] {
    return [...new Set(this.all().map(({ definition }) => parseOperationName(definition.name).base))].sort();
  }
}
