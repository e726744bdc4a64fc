import type { ProviderDefinition } from '@stratus/plugin-api';
import { defineRegionalProvider, type RegionalProviderHandle, type RegionalProviderOptions } from '@stratus/provider-kit';
import { parseGceAccount, type GceAccount } from './accounts/gce-account.js';
import { GceAccountRegistry } from './accounts/gce-account-registry.js';
import { GceClientFactory, type GceClientOptions } from './accounts/gce-clients.js';
import { agentsForAccount } from './caching/agents-for-account.js';
import { GceLookups } from './routes/gce-lookups.js';
import { gceInstanceRoutes } from './routes/gce-instance-routes.js';
import { gceRoutes } from './routes/gce-routes.js';
import { GCE, gceKeyParser } from './keys.js';
import { GceCacheRefresher } from './ops/cache-refresher.js';
import { cloneServerGroupOperation } from './ops/clone-server-group.js';
import { createServerGroupOperation } from './ops/create-server-group.js';
import type { GceOperationDeps } from './ops/gce-operation-deps.js';
import { terminateInstanceAndDecrementServerGroupOperation, terminateInstancesOperation } from './ops/instance-operations.js';
import { deleteLoadBalancerOperation, upsertLoadBalancerOperation } from './ops/load-balancer-operations.js';
import { deleteSecurityGroupOperation, upsertSecurityGroupOperation } from './ops/security-group-operations.js';
import { deregisterInstancesFromLoadBalancerOperation, registerInstancesWithLoadBalancerOperation } from './ops/instance-load-balancer-operations.js';
import { rebootInstancesOperation } from './ops/reboot-instances.js';
import type { ConsulAgentUrl } from './ops/consul-agent.js';
import { disableInstancesInDiscoveryOperation, enableInstancesInDiscoveryOperation } from './ops/discovery-operations.js';
import { setStatefulDiskOperation } from './ops/set-stateful-disk.js';
import { statefullyUpdateBootImageOperation } from './ops/statefully-update-boot-image.js';
import { updateLaunchConfigOperation } from './ops/update-launch-config.js';
import { upsertImageTagsOperation } from './ops/upsert-image-tags.js';
import { upsertServerGroupTagsOperation } from './ops/upsert-server-group-tags.js';
import { deleteScalingPolicyOperation, upsertScalingPolicyOperation } from './ops/scaling-policy-operations.js';
import { restoreSnapshotOperation, saveSnapshotOperation } from './ops/snapshot-operations.js';
import { serverGroupOperations } from './ops/server-group-operations.js';
import { GceClusterReadModel } from './read-models/gce-cluster-read-model.js';
import { GceInstanceReadModel } from './read-models/gce-instance-read-model.js';
import { GceLoadBalancerReadModel } from './read-models/gce-load-balancer-read-model.js';
import { GceSecurityGroupReadModel } from './read-models/gce-security-group-read-model.js';
import { GCE_PROVIDER_VERSION } from './version.js';

/** The SPI version this provider was built against (`SPI_VERSION` of `@stratus/plugin-api` 0.1.x). */
export const GCE_PROVIDER_API_VERSION = '1.4.0';

/** `clients`: e.g. a pre-authorised auth client per account, for tests. */
export interface GceProviderOptions extends RegionalProviderOptions<GceClientOptions> {
  /**
   * Use this client factory instead of a new one (tests share one between provider instances: each
   * SDK client parses the compute protos when built, which takes a while).
   */
  readonly clientFactory?: GceClientFactory;
  /** Where an instance's Consul agent answers (tests point it at a loopback fake); `http://<instance>:<agentPort>` otherwise. */
  readonly consulAgentUrl?: ConsulAgentUrl;
}

/** What a registered GCE provider exposes besides its registrations (tests use it). */
export type GceProviderHandle = RegionalProviderHandle<GceAccountRegistry, GceClientFactory, GceClusterReadModel, GceOperationDeps>;

/**
 * Builds the Google Compute Engine provider (cloud provider `gce`, config block `google`). The
 * default export is `createGceProvider()`; `onRegistered` receives the handle once `register` ran.
 */
export function createGceProvider(options: GceProviderOptions = {}, onRegistered?: (handle: GceProviderHandle) => void): ProviderDefinition {
  return defineRegionalProvider(
    {
      id: GCE,
      configKey: 'google',
      apiVersion: GCE_PROVIDER_API_VERSION,
      version: GCE_PROVIDER_VERSION,
      options,
      clients: () => options.clientFactory ?? new GceClientFactory(options.clients),
      accounts: GceAccountRegistry,
      parse: parseGceAccount,
      agents(account: GceAccount, clients, intervalMs) {
        // Claim the account's clients now (they are built lazily): an update builds the new
        // version's agents before disposing the old one, which must not close shared clients.
        clients.forAccount(account);
        return agentsForAccount(account, clients, intervalMs, options.consulAgentUrl);
      },
      describe: (account) => ({ project: account.project }),
      readModels: {
        clusters: GceClusterReadModel,
        instances: GceInstanceReadModel,
        loadBalancers: GceLoadBalancerReadModel,
        securityGroups: GceSecurityGroupReadModel,
      },
      keyParser: gceKeyParser,
      refresher: GceCacheRefresher,
      routes({ ctx, cache, deps }) {
        // Routes arrived in SPI 1.1; a 1.0 host has no hook, and the provider works without them.
        if (typeof ctx.registerRoutes !== 'function') return;
        const lookups = new GceLookups(cache);
        ctx.registerRoutes([...gceRoutes(lookups), ...gceInstanceRoutes(deps.accounts, deps.clients, cache, lookups)]);
      },
      operations: (deps) => [
        createServerGroupOperation(deps),
        cloneServerGroupOperation(deps),
        ...serverGroupOperations(deps),
        terminateInstancesOperation(deps),
        terminateInstanceAndDecrementServerGroupOperation(deps),
        upsertSecurityGroupOperation(deps),
        deleteSecurityGroupOperation(deps),
        upsertLoadBalancerOperation(deps),
        deleteLoadBalancerOperation(deps),
        upsertScalingPolicyOperation(deps),
        deleteScalingPolicyOperation(deps),
        registerInstancesWithLoadBalancerOperation(deps),
        deregisterInstancesFromLoadBalancerOperation(deps),
        rebootInstancesOperation(deps),
        upsertImageTagsOperation(deps),
        upsertServerGroupTagsOperation(deps),
        setStatefulDiskOperation(deps),
        updateLaunchConfigOperation(deps),
        statefullyUpdateBootImageOperation(deps),
        saveSnapshotOperation(deps),
        restoreSnapshotOperation(deps),
        enableInstancesInDiscoveryOperation(deps, options.consulAgentUrl),
        disableInstancesInDiscoveryOperation(deps, options.consulAgentUrl),
      ],
    },
    onRegistered,
  );
}
