import type { ProviderCache } from '@stratus/plugin-api';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';
import type { GceClientFactory } from '../accounts/gce-clients.js';
import type { GceCacheRefresher } from './cache-refresher.js';

/** What every GCE operation needs. */
export interface GceOperationDeps {
  readonly accounts: GceAccountRegistry;
  readonly clients: GceClientFactory;
  readonly cache: ProviderCache;
  readonly refresher: GceCacheRefresher;
}
