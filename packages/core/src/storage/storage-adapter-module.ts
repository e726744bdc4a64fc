import { createExtensionPoint } from '../modules/extension-point.js';
import { defineModule, type FeatureModule } from '../modules/feature-module.js';
import type { StorageAdapter } from './storage-adapter.js';

/**
 * The storage adapters modules offer (memory, Redis, SQL, …), in order of precedence: for each
 * concern the first one enabled by config wins, so memory is contributed last, as the fallback.
 */
export const STORAGE_ADAPTER = createExtensionPoint<StorageAdapter>('storage.adapter');

/** A store's module: contributes its adapter, which it also carries so the server can compose its config section. */
export type StorageAdapterModule<A extends StorageAdapter = StorageAdapter> = FeatureModule<undefined, Record<never, never>, unknown> & { readonly adapter: A };

/** Wraps a store's adapter as a module (id `storage.<name>`); a store's package needs nothing more. */
export function storageAdapterModule<A extends StorageAdapter>(adapter: A): StorageAdapterModule<A> {
  const module = defineModule({ id: `storage.${adapter.name}`, register: ({ contribute }) => contribute(STORAGE_ADAPTER, adapter) });
  return { ...module, adapter };
}
