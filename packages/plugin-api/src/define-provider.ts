import type { AccountCredentials } from './account-credentials.js';
import type { ArtifactAccountTypeDefinition } from './artifact-account.js';
import type { Agent } from './agent.js';
import type { OperationDefinition } from './atomic-operation.js';
import type { Cache } from './cache.js';
import type { KeyParser } from './key-parser.js';
import type { Logger } from './logger.js';
import type { ProviderRoute } from './provider-route.js';
import type { ProviderCache } from './provider-cache.js';
import type { ReadModelKind, ReadModels } from './read-models.js';

/** Where an account definition came from, so a provider can trust it accordingly. */
export interface AccountDefinitionSource {
  /**
   * `config`: the operator's config file. `storage`: the account storage API (`POST/PUT
   * /credentials`), i.e. written by an API caller: a provider should refuse there what would let
   * that caller make the server read local files or run commands.
   */
  readonly origin: 'config' | 'storage';
}

/** How a provider's accounts are read from config and which agents each account gets. */
export interface AccountTypeDefinition<A extends AccountCredentials = AccountCredentials> {
  /** The cloud provider id (`aws`, `kubernetes`, `gce`, `azure`, …). */
  readonly cloudProvider: string;
  /**
   * Validates one raw account definition (an element of `<configKey>.accounts[]`) and returns the
   * credentials. Throw an `Error` naming the bad field; the server reports it with the account name.
   * `source` says where the definition came from (hosts before plugin-api 0.2 do not pass it).
   */
  parse(raw: Record<string, unknown>, defaults: Record<string, unknown>, source?: AccountDefinitionSource): A;
  /**
   * The agents for one account. Called when the account appears and whenever it changes; the
   * server unschedules them when it goes away. Agents that are also `OnDemandAgent`s serve
   * `POST /cache/{cloudProvider}/{type}`.
   */
  agents(account: A): Agent[];
  /** Releases whatever the account held (clients, watches) when it is removed or replaced. */
  dispose?(account: A): void | Promise<void>;
}

/** Options for a provider's cache namespace. */
export interface CacheNamespaceOptions {
  /**
   * Whether an authoritative result with zero items may evict everything the agent wrote before.
   * Off by default: an empty result usually means a failed describe, not an empty cloud.
   */
  readonly supportsFullEviction?: boolean;
}

/** A counter a provider reports through the server's metrics endpoint. */
export interface ProviderCounter {
  /** Adds `value` (default 1) to the series with these labels. */
  inc(labels?: Record<string, string>, value?: number): void;
}

/** The server's metrics, as a provider may use them (names get the server's `stratus_` prefix). */
export interface ProviderMetrics {
  /** The counter `name` (the same one when asked again); `labelNames` are fixed at first use. */
  counter(name: string, help: string, labelNames?: readonly string[]): ProviderCounter;
}

/** What a provider can do while it registers. */
export interface ProviderContext {
  /** The SPI version of the server loading the provider. */
  readonly spiVersion: string;
  /** The server's metrics (absent in hosts before plugin-api 0.2 and in tools without a metrics endpoint). */
  readonly metrics?: ProviderMetrics;
  /** The server's logger, bound to the provider's id. */
  readonly logger: Logger;
  /** The provider's config block (e.g. everything under `aws:`), `{}` when absent. */
  readonly config: Record<string, unknown>;
  /** The read view over every provider's cache. */
  readonly cache: Cache;
  /** The cache namespace `providerName`, for agents and read models to use. */
  providerCache(providerName: string, options?: CacheNamespaceOptions): ProviderCache;
  /** Declares the provider's account type; accounts come from `<configKey>.accounts[]`. */
  registerAccountType<A extends AccountCredentials>(definition: AccountTypeDefinition<A>): void;
  /** Agents not bound to an account (housekeeping); they bypass sharding. */
  registerAgents(agents: readonly Agent[]): void;
  /** An operation under `POST /{cloudProvider}/ops`. */
  registerOperation(cloudProvider: string, definition: OperationDefinition): void;
  /** A read model serving the generic read API for `cloudProvider`. */
  registerReadModel<K extends ReadModelKind>(cloudProvider: string, kind: K, model: ReadModels[K]): void;
  /** The provider's key parser, for `/search` and permission filtering. */
  registerKeyParser(parser: KeyParser): void;
  /**
   * HTTP routes beside the generic read API, for what only this cloud has (since SPI 1.1).
   * Paths must not collide with Clouddriver's generic paths; the server refuses duplicates.
   */
  registerRoutes(routes: readonly ProviderRoute[]): void;
  /**
   * Details shown in the server's readiness report under `<provider id>.<name>` (e.g. which
   * clusters are unreachable), since SPI 1.1. Informational only: like Clouddriver's account health
   * indicators they never take the replica out of rotation; a throwing callback shows its error.
   */
  registerHealthDetails(name: string, details: () => Record<string, unknown> | Promise<Record<string, unknown>>): void;
  /**
   * An artifact account type (since SPI 1.2): its accounts come from
   * `artifacts.<configKey>.accounts[]` and serve `/artifacts/*` beside the built-in types. The
   * server refuses a `configKey` that another package already registered.
   */
  registerArtifactAccountType(definition: ArtifactAccountTypeDefinition): void;
}

/** A provider package's default export. */
export interface ProviderDefinition {
  /** A stable id, e.g. `aws`; also the config key enabling it unless `configKey` says otherwise. */
  readonly id: string;
  /** The config key of the provider's block (`google` for GCE); defaults to `id`. */
  readonly configKey?: string;
  /** The SPI version the provider was built against ({@link SPI_VERSION} at build time). */
  readonly apiVersion: string;
  /** The provider package's own version. */
  readonly version: string;
  /**
   * Checks the provider's config block (`<configKey>:` as written, `accounts` included, which its
   * account type parses one by one) before `register`, and returns what `context.config` gets (since
   * SPI 1.4). Throw an Error naming the field (`allowPasswordCommand: expected true or false`); the
   * server reports it as `<configKey>.<field>` of this provider and does not start. Without it the
   * block is handed over as written.
   */
  parseConfig?(block: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Declares the provider's account type, operations, read models, key parser and routes; called once at startup. A thrown error stops startup, naming the provider. */
  register(context: ProviderContext): void | Promise<void>;
}

/** Declares a provider; the identity function that gives provider authors type checking. */
export function defineProvider(definition: ProviderDefinition): ProviderDefinition {
  return definition;
}

/** Whether `value` looks like a {@link ProviderDefinition} (has `id`, `apiVersion` and `register`); the server uses it to pick a module's export. */
export function isProviderDefinition(value: unknown): value is ProviderDefinition {
  const candidate = value as ProviderDefinition;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.id === 'string' &&
    typeof candidate.apiVersion === 'string' &&
    typeof candidate.register === 'function'
  );
}
