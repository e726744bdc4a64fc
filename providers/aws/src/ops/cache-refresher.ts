import type { ProviderCache } from '@stratus/plugin-api';
import { RegionalCacheRefresher } from '@stratus/provider-kit';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import { currentCallSignal } from '../accounts/call-signal.js';

/**
 * The kit's refresher with AWS's server group agent. Deletions may name ids by glob, and a refresh
 * runs in the operation's own signal (when it runs in one), so an aborted task stops refreshing too.
 */
export class AwsCacheRefresher extends RegionalCacheRefresher {
  constructor(accounts: AwsAccountRegistry, cache: ProviderCache) {
    super(accounts, cache, { serverGroupAgent: 'ClusterCachingAgent', expandGlobs: true, currentSignal: currentCallSignal });
  }
}
