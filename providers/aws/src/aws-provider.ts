import { defineProvider, type OperationDefinition, type ProviderContext, type ProviderDefinition } from '@stratus/plugin-api';
import { agentIntervalMs, type RegionalProviderHandle, registerRegionalAccounts, registerStandardReadModels } from '@stratus/provider-kit';
import { parseAwsAccount, type AwsAccount } from './accounts/aws-account.js';
import { AwsAccountRegistry } from './accounts/aws-account-registry.js';
import { AwsClientFactory, type AwsClientOptions } from './accounts/aws-clients.js';
import { signalBoundOperation } from './accounts/call-signal.js';
import { agentsForAccount } from './caching/agents-for-account.js';
import { AwsLookups } from './routes/aws-lookups.js';
import { awsRoutes } from './routes/aws-routes.js';
import { AwsAcmCertificates } from './routes/aws-acm-certificates.js';
import { AwsCertificates, awsCertificateRoute } from './routes/aws-certificates.js';
import { AwsRoles, awsRolesRoute } from './routes/aws-roles.js';
import { AWS, awsKeyParser } from './keys.js';
import type { AwsOperationDeps } from './ops/aws-operation-deps.js';
import { AwsCacheRefresher } from './ops/cache-refresher.js';
import { cloneServerGroupOperation } from './ops/clone-server-group.js';
import { createServerGroupOperation } from './ops/create-server-group.js';
import { rebootInstancesOperation, terminateInstancesOperation } from './ops/instance-operations.js';
import { deleteLoadBalancerOperation, upsertLoadBalancerOperation } from './ops/load-balancer-operations.js';
import { deleteSecurityGroupOperation, upsertSecurityGroupOperation } from './ops/security-group-operations.js';
import {
  destroyServerGroupOperation,
  disableServerGroupOperation,
  enableServerGroupOperation,
  resizeServerGroupOperation,
  upsertServerGroupTagsOperation,
} from './ops/server-group-operations.js';
import { updateLaunchTemplateOperation } from './ops/update-launch-template.js';
import { allowLaunchOperation } from './ops/allow-launch.js';
import {
  deleteAsgScheduledActionsOperation,
  deleteScalingPolicyOperation,
  modifyAsgOperation,
  resumeAsgProcessesOperation,
  suspendAsgProcessesOperation,
  upsertAsgScheduledActionsOperation,
  upsertScalingPolicyOperation,
} from './ops/asg-operations.js';
import {
  deleteCloudFormationChangeSetOperation,
  deleteCloudFormationOperation,
  deployCloudFormationOperation,
  executeCloudFormationChangeSetOperation,
} from './ops/cloudformation-operations.js';
import { upsertAmazonDnsOperation } from './ops/dns-operations.js';
import {
  deleteImageOperation,
  deleteLaunchConfigurationOperation,
  deleteLaunchTemplateOperation,
  deleteSnapshotOperation,
  upsertImageTagsOperation,
} from './ops/image-operations.js';
import {
  deregisterInstancesFromLoadBalancerOperation,
  detachInstancesOperation,
  disableInstancesInDiscoveryOperation,
  enableInstancesInDiscoveryOperation,
  registerInstancesWithLoadBalancerOperation,
  terminateInstanceAndDecrementOperation,
  updateInstancesOperation,
} from './ops/instance-lifecycle-operations.js';
import { updateLaunchConfigOperation } from './ops/update-launch-config.js';
import { deleteAlarmOperation, upsertAlarmOperation } from './ops/alarm-operations.js';
import { deleteAsgTagsOperation, upsertAsgLifecycleHookOperation } from './ops/asg-hook-and-tag-operations.js';
import { AWS_OPERATION_ALIASES } from './ops/operation-aliases.js';
import { AwsClusterReadModel } from './read-models/aws-cluster-read-model.js';
import { AwsInstanceReadModel } from './read-models/aws-instance-read-model.js';
import { AwsLoadBalancerReadModel } from './read-models/aws-load-balancer-read-model.js';
import { AwsSecurityGroupReadModel } from './read-models/aws-security-group-read-model.js';
import { AWS_PROVIDER_VERSION } from './version.js';

/** The SPI major this provider was built against (`SPI_VERSION` of `@stratus/plugin-api` 0.1.x). */
export const AWS_PROVIDER_API_VERSION = '1.3.0';

export interface AwsProviderOptions {
  /** SDK client options (base credentials, attempts); the default chain and 5 attempts when absent. */
  readonly clients?: AwsClientOptions;
  /** Overrides every agent's interval (ms); otherwise `aws.agentIntervalSeconds` or the scheduler's default. */
  readonly agentIntervalMs?: number;
}

/** What a registered AWS provider exposes besides its registrations (tests and route hooks use it). */
export interface AwsProviderHandle extends RegionalProviderHandle<AwsAccountRegistry, AwsClientFactory, AwsClusterReadModel, AwsOperationDeps> {
  readonly lookups: AwsLookups;
}

/**
 * Builds the AWS provider. The default export is `createAwsProvider()`; pass options to inject
 * credentials or intervals. `onRegistered` receives the handle once `register` ran.
 */
// eslint-disable-next-line max-lines-per-function -- the provider's registration: one line per agent, read model, operation and route of Clouddriver's AWS provider
export function createAwsProvider(options: AwsProviderOptions = {}, onRegistered?: (handle: AwsProviderHandle) => void): ProviderDefinition {
  return defineProvider({
    id: AWS,
    apiVersion: AWS_PROVIDER_API_VERSION,
    version: AWS_PROVIDER_VERSION,
    // eslint-disable-next-line max-lines-per-function -- the provider's registration: one line per agent, read model, operation and route of Clouddriver's AWS provider
    register(ctx: ProviderContext) {
      const config = ctx.config;
      const maxAttempts = typeof config.maxAttempts === 'number' ? config.maxAttempts : undefined;
      // Throttled attempts per account, so operators see which account AWS is slowing down.
      // Logged at the 1st, 10th, 100th … throttled call of an account, so a storm does not flood the log.
      const throttled = ctx.metrics?.counter('aws_throttled_requests_total', 'AWS SDK attempts answered with a throttling error, by account', ['account']);
      const throttledSoFar = new Map<string, number>();
      const clients = new AwsClientFactory({
        ...(maxAttempts !== undefined ? { maxAttempts } : {}),
        onThrottled: (account: string) => {
          throttled?.inc({ account });
          const count = (throttledSoFar.get(account) ?? 0) + 1;
          throttledSoFar.set(account, count);
          if (/^10*$/.test(String(count)))
            ctx.logger.warn({ provider: AWS, account, throttledCalls: count }, 'AWS is throttling this account; its calls back off');
        },
        ...options.clients,
      });
      const intervalMs = agentIntervalMs(options.agentIntervalMs, config);
      // A failed describe throws (the SDK never answers an error with an empty list), so an empty
      // authoritative result really means "none left": let it evict, or the last ASG / load
      // balancer of a region deleted outside Spinnaker would stay cached forever.
      const cache = ctx.providerCache(AWS, { supportsFullEviction: true });
      const accounts = new AwsAccountRegistry();
      const logger = ctx.logger.child({ provider: AWS });

      registerRegionalAccounts<AwsAccount>(ctx, {
        cloudProvider: AWS,
        parse: parseAwsAccount,
        agents: (account) => agentsForAccount(account, clients, intervalMs),
        accounts,
        dispose: (account) => clients.dispose(account),
        logger,
        intervalMs,
      });

      const loadBalancers = new AwsLoadBalancerReadModel(cache);
      const clusters = new AwsClusterReadModel(cache, loadBalancers);
      const readModels = { clusters, instances: new AwsInstanceReadModel(cache), loadBalancers, securityGroups: new AwsSecurityGroupReadModel(cache) };
      registerStandardReadModels(ctx, AWS, readModels, awsKeyParser);
      const lookups = new AwsLookups(cache);
      ctx.registerRoutes(awsRoutes(lookups, { accounts, clients }));
      ctx.registerRoutes([
        awsCertificateRoute(
          new AwsCertificates(accounts, clients),
          (account, error) => logger.warn({ account, err: error instanceof Error ? error.message : String(error) }, 'listing certificates failed'),
          new AwsAcmCertificates(accounts, clients),
        ),
        awsRolesRoute(new AwsRoles(accounts, clients), (account, error) =>
          logger.warn({ account, err: error instanceof Error ? error.message : String(error) }, 'listing IAM roles failed'),
        ),
      ]);

      const deps: AwsOperationDeps = { accounts, clients, cache, refresher: new AwsCacheRefresher(accounts, cache) };
      for (const definition of [
        createServerGroupOperation(deps),
        cloneServerGroupOperation(deps),
        resizeServerGroupOperation(deps),
        enableServerGroupOperation(deps),
        disableServerGroupOperation(deps),
        destroyServerGroupOperation(deps),
        upsertServerGroupTagsOperation(deps),
        updateLaunchTemplateOperation(deps),
        terminateInstancesOperation(deps),
        rebootInstancesOperation(deps),
        upsertSecurityGroupOperation(deps),
        deleteSecurityGroupOperation(deps),
        upsertLoadBalancerOperation(deps),
        deleteLoadBalancerOperation(deps),
        allowLaunchOperation(deps),
        updateLaunchConfigOperation(deps),
        upsertScalingPolicyOperation(deps),
        deleteScalingPolicyOperation(deps),
        upsertAsgScheduledActionsOperation(deps),
        deleteAsgScheduledActionsOperation(deps),
        resumeAsgProcessesOperation(deps),
        suspendAsgProcessesOperation(deps),
        modifyAsgOperation(deps),
        terminateInstanceAndDecrementOperation(deps),
        detachInstancesOperation(deps),
        updateInstancesOperation(deps),
        enableInstancesInDiscoveryOperation(deps),
        disableInstancesInDiscoveryOperation(deps),
        registerInstancesWithLoadBalancerOperation(deps),
        deregisterInstancesFromLoadBalancerOperation(deps),
        upsertImageTagsOperation(deps),
        deleteImageOperation(deps),
        deleteSnapshotOperation(deps),
        deleteLaunchConfigurationOperation(deps),
        deleteLaunchTemplateOperation(deps),
        upsertAmazonDnsOperation(deps),
        deployCloudFormationOperation(deps),
        deleteCloudFormationOperation(deps),
        executeCloudFormationChangeSetOperation(deps),
        deleteCloudFormationChangeSetOperation(deps),
        upsertAlarmOperation(deps),
        deleteAlarmOperation(deps),
        upsertAsgLifecycleHookOperation(deps),
        deleteAsgTagsOperation(deps),
      ].map((definition) => signalBoundOperation(definition as OperationDefinition))) {
        ctx.registerOperation(AWS, definition);
        // The older `*Description` names Orca still posts run the same implementation.
        for (const alias of AWS_OPERATION_ALIASES[definition.name] ?? []) ctx.registerOperation(AWS, { ...definition, name: alias });
      }
      onRegistered?.({ accounts, clients, lookups, clusters, operations: deps });
    },
  });
}
