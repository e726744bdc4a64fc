/**
 * A named collection that several modules add to and one module reads (the storage adapters the
 * storage module chooses from, for one). Contributions keep the order of the modules.
 */
export interface ExtensionPoint<T> {
  readonly id: string;
  /** Phantom: the type of one contribution. */
  readonly __type?: T;
}

export function createExtensionPoint<T>(id: string): ExtensionPoint<T> {
  return { id };
}
