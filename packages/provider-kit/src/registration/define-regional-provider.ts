import {
  defineProvider,
  type AccountCredentials,
  type Agent,
  type Cache,
  type KeyParser,
  type Logger,
  type OperationDefinition,
  type ProviderCache,
  type ProviderContext,
  type ProviderDefinition,
} from '@stratus/plugin-api';
import type { AccountAgentRegistry } from '../accounts/account-agent-registry.js';
import type { RegionalProviderHandle } from './regional-provider-handle.js';
import { agentIntervalMs, registerRegionalAccounts, registerStandardReadModels, type StandardReadModels } from './register-regional-provider.js';

type RegionalAccount = AccountCredentials & { readonly regions: readonly { readonly name: string }[] };

/** A provider's SDK client factory: it releases an account's clients when the account goes. */
interface DisposingClients<A> {
  dispose(account: A): void;
}

/** The options every regional provider's factory takes (a provider may add its own). */
export interface RegionalProviderOptions<ClientOptions> {
  /** SDK client options (credentials, retries, endpoints; tests point them at loopback fakes). */
  readonly clients?: ClientOptions;
  /** Overrides every agent's interval (ms); otherwise `<configKey>.agentIntervalSeconds` or the scheduler's default. */
  readonly agentIntervalMs?: number;
}

/** The read model classes of a provider with Clouddriver's standard namespaces; the cluster model joins the load balancers. */
export interface StandardReadModelClasses<Clusters extends StandardReadModels['clusters'], LoadBalancers extends StandardReadModels['loadBalancers']> {
  readonly clusters: new (cache: Cache, loadBalancers: LoadBalancers) => Clusters;
  readonly instances: new (cache: Cache) => StandardReadModels['instances'];
  readonly loadBalancers: new (cache: Cache) => LoadBalancers;
  readonly securityGroups: new (cache: Cache) => StandardReadModels['securityGroups'];
}

/** What every operation of a regional provider needs: its accounts, clients, cache and cache refresher. */
export interface RegionalOperationDeps<Accounts, Clients, Refresher> {
  readonly accounts: Accounts;
  readonly clients: Clients;
  readonly cache: ProviderCache;
  readonly refresher: Refresher;
}

/** What one registration of a regional provider built, for its routes and its handle. */
export interface RegionalProviderParts<Accounts, Clients, Clusters, Refresher> {
  readonly ctx: ProviderContext;
  readonly cache: ProviderCache;
  readonly clusters: Clusters;
  readonly deps: RegionalOperationDeps<Accounts, Clients, Refresher>;
  /** `ctx.logger` with the provider's id. */
  readonly logger: Logger;
}

/**
 * A regional provider (AWS, GCE, Azure) as {@link defineRegionalProvider} builds it: everything that
 * differs between the clouds; the registration steps themselves are the same for each.
 */
export interface RegionalProviderSpec<
  A extends RegionalAccount,
  Accounts extends AccountAgentRegistry<A>,
  Clients extends DisposingClients<A>,
  Clusters extends StandardReadModels['clusters'],
  LoadBalancers extends StandardReadModels['loadBalancers'],
  Refresher,
  Extra,
> {
  readonly id: string;
  readonly configKey?: string;
  readonly apiVersion: string;
  readonly version: string;
  readonly options: RegionalProviderOptions<unknown>;
  /** The SDK client factory of one registration (from `ctx.config` and the provider's options). */
  readonly clients: (ctx: ProviderContext) => Clients;
  /** The account registry (one per registration). */
  readonly accounts: new () => Accounts;
  readonly parse: (raw: Record<string, unknown>, defaults: Record<string, unknown>) => A;
  readonly agents: (account: A, clients: Clients, intervalMs: number | undefined) => Agent[];
  /** Fields to log besides account, regions and agent count when an account is added. */
  readonly describe?: (account: A) => Record<string, unknown>;
  readonly readModels: StandardReadModelClasses<Clusters, LoadBalancers>;
  readonly keyParser: KeyParser;
  /** The cache refresher operations use after changing the cloud. */
  readonly refresher: new (accounts: Accounts, cache: ProviderCache) => Refresher;
  /** The operations in registration order; each is also registered under its `aliases`. */
  readonly operations: (deps: RegionalOperationDeps<Accounts, Clients, Refresher>) => OperationDefinition[];
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  /** Registers the routes; what it returns joins the handle. */
  readonly routes?: (parts: RegionalProviderParts<Accounts, Clients, Clusters, Refresher>) => Extra;
}

/**
 * Defines a provider whose accounts own regional agents. Its cache namespace evicts on empty
 * authoritative results: the clouds' SDKs throw on a failed list rather than answer an empty one, so
 * an empty result really means "none left" (else the last group of a region deleted outside Spinnaker
 * would stay cached forever). `onRegistered` receives the handle once `register` ran.
 */
export function defineRegionalProvider<
  A extends RegionalAccount,
  Accounts extends AccountAgentRegistry<A>,
  Clients extends DisposingClients<A>,
  Clusters extends StandardReadModels['clusters'],
  LoadBalancers extends StandardReadModels['loadBalancers'],
  Refresher,
  Extra = object,
>(
  spec: RegionalProviderSpec<A, Accounts, Clients, Clusters, LoadBalancers, Refresher, Extra>,
  onRegistered?: (handle: RegionalProviderHandle<Accounts, Clients, Clusters, RegionalOperationDeps<Accounts, Clients, Refresher>> & Extra) => void,
): ProviderDefinition {
  return defineProvider({
    id: spec.id,
    ...(spec.configKey !== undefined ? { configKey: spec.configKey } : {}),
    apiVersion: spec.apiVersion,
    version: spec.version,
    register(ctx: ProviderContext) {
      const clients = spec.clients(ctx);
      const intervalMs = agentIntervalMs(spec.options.agentIntervalMs, ctx.config);
      const cache = ctx.providerCache(spec.id, { supportsFullEviction: true });
      const accounts = new spec.accounts();
      const logger = ctx.logger.child({ provider: spec.id });
      registerRegionalAccounts<A>(ctx, {
        cloudProvider: spec.id,
        parse: spec.parse,
        agents: (account) => spec.agents(account, clients, intervalMs),
        accounts,
        dispose: (account) => clients.dispose(account),
        logger,
        ...(spec.describe ? { describe: spec.describe } : {}),
        intervalMs,
      });
      const classes = spec.readModels;
      const loadBalancers = new classes.loadBalancers(cache);
      const clusters = new classes.clusters(cache, loadBalancers);
      const readModels = { clusters, instances: new classes.instances(cache), loadBalancers, securityGroups: new classes.securityGroups(cache) };
      registerStandardReadModels(ctx, spec.id, readModels, spec.keyParser);
      const deps = { accounts, clients, cache, refresher: new spec.refresher(accounts, cache) };
      const extra = spec.routes?.({ ctx, cache, clusters: clusters, deps, logger }) ?? ({} as Extra);
      for (const definition of spec.operations(deps)) {
        ctx.registerOperation(spec.id, definition);
        // Older names Orca still posts run the same implementation.
        for (const alias of spec.aliases?.[definition.name] ?? []) ctx.registerOperation(spec.id, { ...definition, name: alias });
      }
      onRegistered?.({ accounts, clients, clusters: clusters, operations: deps, ...extra });
    },
  });
}
