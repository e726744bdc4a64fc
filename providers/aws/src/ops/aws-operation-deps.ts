import type { ProviderCache } from '@stratus/plugin-api';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import type { AwsClientFactory } from '../accounts/aws-clients.js';
import type { AwsCacheRefresher } from './cache-refresher.js';

/** What every AWS operation needs. */
export interface AwsOperationDeps {
  readonly accounts: AwsAccountRegistry;
  readonly clients: AwsClientFactory;
  readonly cache: ProviderCache;
  readonly refresher: AwsCacheRefresher;
}
