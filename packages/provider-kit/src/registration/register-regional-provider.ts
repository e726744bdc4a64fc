import type {
  AccountCredentials,
  Agent,
  ApplicationReadModel,
  ClusterReadModel,
  InstanceReadModel,
  KeyParser,
  LoadBalancerReadModel,
  Logger,
  ProviderContext,
  SecurityGroupReadModel,
} from '@stratus/plugin-api';
import type { AccountAgentRegistry } from '../accounts/account-agent-registry.js';
import { ClusterCleanupAgent } from '../caching/cluster-cleanup-agent.js';

/** The agents' interval: the provider option, else `<config>.agentIntervalSeconds`, else the scheduler's default. */
export function agentIntervalMs(option: number | undefined, config: Readonly<Record<string, unknown>>): number | undefined {
  return option ?? (typeof config.agentIntervalSeconds === 'number' ? config.agentIntervalSeconds * 1000 : undefined);
}

/** What {@link registerRegionalAccounts} needs to know about a provider's accounts. */
export interface RegionalAccountsSpec<A extends AccountCredentials & { readonly regions: readonly { readonly name: string }[] }> {
  readonly cloudProvider: string;
  /** Parses one raw account; `defaults` are the provider's config merged with the server's defaults. */
  readonly parse: (raw: Record<string, unknown>, defaults: Record<string, unknown>) => A;
  /** Builds the account's agents (claim shared clients first when they are built lazily). */
  readonly agents: (account: A) => Agent[];
  readonly accounts: AccountAgentRegistry<A>;
  /** Releases the account's clients. */
  readonly dispose: (account: A) => void;
  /** Where `<cloud> account added` is logged; `ctx.logger` with the provider's id otherwise. */
  readonly logger?: Logger;
  /** Fields to log besides account, regions and agent count (a project, a subscription). */
  readonly describe?: (account: A) => Record<string, unknown>;
  /** The cleanup agent's interval (the same as the regional agents'). */
  readonly intervalMs: number | undefined;
}

/**
 * Registers a provider's account type whose accounts own regional agents: the agents are kept in
 * `accounts` for operations and refreshers, the account is forgotten and its clients released on
 * dispose, and one {@link ClusterCleanupAgent} evicts the clusters and applications no region
 * vouches for any more.
 */
export function registerRegionalAccounts<A extends AccountCredentials & { readonly regions: readonly { readonly name: string }[] }>(
  ctx: ProviderContext,
  spec: RegionalAccountsSpec<A>,
): void {
  const config = ctx.config;
  const logger = spec.logger ?? ctx.logger.child({ provider: spec.cloudProvider });
  ctx.registerAccountType<A>({
    cloudProvider: spec.cloudProvider,
    parse: (raw, defaults) => spec.parse(raw, { ...config, ...defaults }),
    agents(account) {
      const agents = spec.agents(account);
      spec.accounts.set(account, agents);
      const fields = { account: account.name, ...spec.describe?.(account), regions: account.regions.map((r) => r.name), agents: agents.length };
      logger.info(fields, `${spec.cloudProvider} account added`);
      return agents;
    },
    dispose(account) {
      spec.accounts.delete(account);
      spec.dispose(account);
    },
  });
  ctx.registerAgents([new ClusterCleanupAgent(spec.cloudProvider, spec.intervalMs)]);
}

/** The read models of a provider with Clouddriver's standard namespaces. */
export interface StandardReadModels {
  readonly clusters: ClusterReadModel & ApplicationReadModel;
  readonly instances: InstanceReadModel;
  readonly loadBalancers: LoadBalancerReadModel;
  readonly securityGroups: SecurityGroupReadModel;
}

/** Registers the read models (the cluster model also answers for applications) and the key parser. */
export function registerStandardReadModels(ctx: ProviderContext, cloudProvider: string, models: StandardReadModels, keyParser: KeyParser): void {
  ctx.registerReadModel(cloudProvider, 'applications', models.clusters);
  ctx.registerReadModel(cloudProvider, 'clusters', models.clusters);
  ctx.registerReadModel(cloudProvider, 'instances', models.instances);
  ctx.registerReadModel(cloudProvider, 'loadBalancers', models.loadBalancers);
  ctx.registerReadModel(cloudProvider, 'securityGroups', models.securityGroups);
  ctx.registerKeyParser(keyParser);
}
