import type { OperationDefinition, ProviderContext, ProviderDefinition } from '@stratus/plugin-api';
import { defineRegionalProvider, type RegionalProviderHandle, type RegionalProviderOptions, type RegionalProviderParts } from '@stratus/provider-kit';
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
import { serverGroupOperations } from './ops/server-group-operations.js';
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

/** `clients`: base credentials and attempts (the default chain and 5 attempts when absent). */
export type AwsProviderOptions = RegionalProviderOptions<AwsClientOptions>;

/** What a registered AWS provider exposes besides its registrations (tests and route hooks use it). */
export interface AwsProviderHandle extends RegionalProviderHandle<AwsAccountRegistry, AwsClientFactory, AwsClusterReadModel, AwsOperationDeps> {
  readonly lookups: AwsLookups;
}

/** The AWS SDK client factory of one registration: `aws.maxAttempts`, with throttling counted and logged per account. */
function awsClients(ctx: ProviderContext, options: AwsProviderOptions): AwsClientFactory {
  const maxAttempts = typeof ctx.config.maxAttempts === 'number' ? ctx.config.maxAttempts : undefined;
  // Throttled attempts per account, so operators see which account AWS is slowing down.
  // Logged at the 1st, 10th, 100th … throttled call of an account, so a storm does not flood the log.
  const throttled = ctx.metrics?.counter('aws_throttled_requests_total', 'AWS SDK attempts answered with a throttling error, by account', ['account']);
  const throttledSoFar = new Map<string, number>();
  return new AwsClientFactory({
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    onThrottled: (account: string) => {
      throttled?.inc({ account });
      const count = (throttledSoFar.get(account) ?? 0) + 1;
      throttledSoFar.set(account, count);
      if (/^10*$/.test(String(count))) ctx.logger.warn({ provider: AWS, account, throttledCalls: count }, 'AWS is throttling this account; its calls back off');
    },
    ...options.clients,
  });
}

/** Registers the lookups, certificate and role routes; the lookups join the handle. */
function registerAwsRoutes({
  ctx,
  cache,
  deps: { accounts, clients },
  logger,
}: RegionalProviderParts<AwsAccountRegistry, AwsClientFactory, unknown, unknown>): { lookups: AwsLookups } {
  const lookups = new AwsLookups(cache);
  const warn = (what: string) => (account: string, error: unknown) =>
    logger.warn({ account, err: error instanceof Error ? error.message : String(error) }, `listing ${what} failed`);
  ctx.registerRoutes(awsRoutes(lookups, { accounts, clients }));
  ctx.registerRoutes([
    awsCertificateRoute(new AwsCertificates(accounts, clients), warn('certificates'), new AwsAcmCertificates(accounts, clients)),
    awsRolesRoute(new AwsRoles(accounts, clients), warn('IAM roles')),
  ]);
  return { lookups };
}

/**
 * Builds the AWS provider. The default export is `createAwsProvider()`; pass options to inject
 * credentials or intervals. `onRegistered` receives the handle once `register` ran.
 */
export function createAwsProvider(options: AwsProviderOptions = {}, onRegistered?: (handle: AwsProviderHandle) => void): ProviderDefinition {
  return defineRegionalProvider(
    {
      id: AWS,
      apiVersion: AWS_PROVIDER_API_VERSION,
      version: AWS_PROVIDER_VERSION,
      options,
      clients: (ctx) => awsClients(ctx, options),
      accounts: AwsAccountRegistry,
      parse: parseAwsAccount,
      agents: (account: AwsAccount, clients, intervalMs) => agentsForAccount(account, clients, intervalMs),
      readModels: {
        clusters: AwsClusterReadModel,
        instances: AwsInstanceReadModel,
        loadBalancers: AwsLoadBalancerReadModel,
        securityGroups: AwsSecurityGroupReadModel,
      },
      keyParser: awsKeyParser,
      refresher: AwsCacheRefresher,
      routes: registerAwsRoutes,
      // The provider's operations, one line per operation of Clouddriver's AWS provider.
      operations: (deps) =>
        [
          createServerGroupOperation(deps),
          cloneServerGroupOperation(deps),
          ...serverGroupOperations(deps),
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
        ].map((definition) => signalBoundOperation(definition as OperationDefinition)),
      aliases: AWS_OPERATION_ALIASES,
    },
    onRegistered,
  );
}
