import type { ProviderCache } from '@stratus/plugin-api';
import { RegionalCacheRefresher } from '@stratus/provider-kit';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';

/** The kit's refresher with GCE's server group agent; account-wide agents are found under the region `global`. */
export class GceCacheRefresher extends RegionalCacheRefresher {
  constructor(accounts: GceAccountRegistry, cache: ProviderCache) {
    super(accounts, cache, { serverGroupAgent: 'GoogleServerGroupCachingAgent' });
  }
}
