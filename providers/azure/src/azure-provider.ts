import type { ProviderDefinition } from '@stratus/plugin-api';
import { defineRegionalProvider, type RegionalProviderHandle, type RegionalProviderOptions } from '@stratus/provider-kit';
import { parseAzureAccount, type AzureAccount } from './accounts/azure-account.js';
import { AzureAccountRegistry } from './accounts/azure-account-registry.js';
import { AzureClientFactory, type AzureClientOptions } from './accounts/azure-clients.js';
import { agentsForAccount } from './caching/agents-for-account.js';
import { deleteLoadBalancerOperation, upsertLoadBalancerOperation } from './ops/load-balancer-operations.js';
import { azureRoutes } from './routes/azure-routes.js';
import { AZURE, azureKeyParser } from './keys.js';
import type { AzureOperationDeps } from './ops/azure-operation-deps.js';
import { AzureCacheRefresher } from './ops/cache-refresher.js';
import { cloneServerGroupOperation, createServerGroupOperation } from './ops/create-server-group.js';
import { terminateInstancesOperation } from './ops/instance-operations.js';
import { deleteSecurityGroupOperation, upsertSecurityGroupOperation } from './ops/security-group-operations.js';
import { serverGroupOperations } from './ops/server-group-operations.js';
import { AzureClusterReadModel } from './read-models/azure-cluster-read-model.js';
import { AzureInstanceReadModel } from './read-models/azure-instance-read-model.js';
import { AzureLoadBalancerReadModel } from './read-models/azure-load-balancer-read-model.js';
import { AzureSecurityGroupReadModel } from './read-models/azure-security-group-read-model.js';
import { AZURE_PROVIDER_VERSION } from './version.js';

/** The SPI version this provider was built against (`SPI_VERSION` of `@stratus/plugin-api`; routes need 1.1). */
export const AZURE_PROVIDER_API_VERSION = '1.3.0';

/** `clients`: a credential stub and CA per account, retries, poll interval (for tests). */
export type AzureProviderOptions = RegionalProviderOptions<AzureClientOptions>;

/** What a registered Azure provider exposes besides its registrations (tests use it). */
export type AzureProviderHandle = RegionalProviderHandle<AzureAccountRegistry, AzureClientFactory, AzureClusterReadModel, AzureOperationDeps>;

/**
 * Builds the Azure provider (cloud provider `azure`, config block `azure`). The default export is
 * `createAzureProvider()`; `onRegistered` receives the handle once `register` ran.
 */
export function createAzureProvider(options: AzureProviderOptions = {}, onRegistered?: (handle: AzureProviderHandle) => void): ProviderDefinition {
  return defineRegionalProvider(
    {
      id: AZURE,
      configKey: 'azure',
      apiVersion: AZURE_PROVIDER_API_VERSION,
      version: AZURE_PROVIDER_VERSION,
      options,
      clients({ config }) {
        // `azure.pollIntervalMs`: how often long-running operations are polled (the SDK's default, or the cloud's Retry-After, otherwise).
        const pollIntervalMs = typeof config.pollIntervalMs === 'number' && config.pollIntervalMs > 0 ? { pollIntervalMs: config.pollIntervalMs } : {};
        return new AzureClientFactory({ ...pollIntervalMs, ...options.clients });
      },
      accounts: AzureAccountRegistry,
      parse: parseAzureAccount,
      agents: agentsForAccount,
      describe: (account: AzureAccount) => ({ subscriptionId: account.subscriptionId }),
      readModels: {
        clusters: AzureClusterReadModel,
        instances: AzureInstanceReadModel,
        loadBalancers: AzureLoadBalancerReadModel,
        securityGroups: AzureSecurityGroupReadModel,
      },
      keyParser: azureKeyParser,
      refresher: AzureCacheRefresher,
      routes: ({ ctx, cache }) => ctx.registerRoutes(azureRoutes(cache)),
      operations: (deps) => [
        createServerGroupOperation(deps),
        cloneServerGroupOperation(deps),
        ...serverGroupOperations(deps),
        terminateInstancesOperation(deps),
        upsertSecurityGroupOperation(deps),
        deleteSecurityGroupOperation(deps),
        upsertLoadBalancerOperation(deps),
        deleteLoadBalancerOperation(deps),
      ],
    },
    onRegistered,
  );
}
