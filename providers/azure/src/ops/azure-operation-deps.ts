import type { ProviderCache } from '@stratus/plugin-api';
import type { AzureAccountRegistry } from '../accounts/azure-account-registry.js';
import type { AzureClientFactory } from '../accounts/azure-clients.js';
import type { AzureCacheRefresher } from './cache-refresher.js';

/** What every Azure operation needs. */
export interface AzureOperationDeps {
  readonly accounts: AzureAccountRegistry;
  readonly clients: AzureClientFactory;
  readonly cache: ProviderCache;
  readonly refresher: AzureCacheRefresher;
}
