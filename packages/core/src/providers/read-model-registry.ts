import type { ReadModelKind, ReadModels } from '@stratus/plugin-api';

/** A read model together with the cloud provider that registered it. */
export interface RegisteredReadModel<K extends ReadModelKind> {
  readonly cloudProvider: string;
  readonly model: ReadModels[K];
}

/** Looks up the read models providers registered, for the generic read API. */
export interface ReadModelRegistry {
  /** Every model of a kind, one per cloud provider that registered one. */
  all<K extends ReadModelKind>(kind: K): RegisteredReadModel<K>[];
  /** The model of a kind for one cloud provider, if it registered one. */
  get<K extends ReadModelKind>(cloudProvider: string, kind: K): ReadModels[K] | undefined;
}

/** A simple in-memory {@link ReadModelRegistry} the provider host fills while providers register. */
export class MapReadModelRegistry implements ReadModelRegistry {
  private readonly models = new Map<ReadModelKind, Map<string, unknown>>();

  register<K extends ReadModelKind>(cloudProvider: string, kind: K, model: ReadModels[K]): void {
    let byProvider = this.models.get(kind);
    if (!byProvider) this.models.set(kind, (byProvider = new Map()));
    byProvider.set(cloudProvider, model);
  }

  all<K extends ReadModelKind>(kind: K): RegisteredReadModel<K>[] {
    return [...(this.models.get(kind) ?? new Map()).entries()].map(([cloudProvider, model]) => ({
      cloudProvider,
      model: model as ReadModels[K],
    }));
  }

  get<K extends ReadModelKind>(cloudProvider: string, kind: K): ReadModels[K] | undefined {
    return this.models.get(kind)?.get(cloudProvider) as ReadModels[K] | undefined;
  }
}
