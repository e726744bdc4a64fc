import {
  SPI_VERSION,
  isCachingAgent,
  isOnDemandAgent,
  isRunnableAgent,
  silentLogger,
  type AccountCredentials,
  type AccountTypeDefinition,
  type Agent,
  type ArtifactAccountTypeDefinition,
  type CacheNamespaceOptions,
  type KeyParser,
  type Logger,
  type OperationDefinition,
  type ProviderContext,
  type ProviderDefinition,
  type ProviderMetrics,
  type ReadModelKind,
  type ReadModels,
} from '@stratus/plugin-api';
import type { CacheStoreFactory } from '../cats/cache-store.js';
import { CachingAgentExecution } from '../cats/caching-agent-execution.js';
import { CatsProviderCache } from '../cats/cats-provider-cache.js';
import { CompositeCache } from '../cats/composite-cache.js';
import type { OnDemandAgentBinding, OnDemandAgentSource } from '../on-demand/on-demand-agent-source.js';
import type { KeyParserRegistry } from './key-parser-registry.js';
import type { AgentExecution } from '../scheduler/agent-execution.js';
import type { AgentScheduler } from '../scheduler/agent-scheduler.js';
import { ProviderLoadError } from './provider-load-error.js';
import type { ProviderRouteRegistry } from './provider-route-registry.js';
import type { MapReadModelRegistry } from './read-model-registry.js';

/** An account type together with the provider that declared it. */
export interface RegisteredAccountType {
  readonly providerId: string;
  /** The config block the accounts live in (`<configKey>.accounts[]`). */
  readonly configKey: string;
  readonly definition: AccountTypeDefinition<AccountCredentials>;
}

/** A provider that registered successfully. */
export interface LoadedProviderInfo {
  readonly id: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly configKey: string;
  /** Where it was loaded from (package name or path), when known. */
  readonly source?: string;
}

export interface ProviderHostOptions {
  readonly cacheStoreFactory: CacheStoreFactory;
  readonly scheduler: AgentScheduler;
  readonly readModels: MapReadModelRegistry;
  readonly keyParsers: KeyParserRegistry;
  /** Receives providers' extra HTTP routes; without it `registerRoutes` is refused. */
  readonly routes?: ProviderRouteRegistry;
  /** Receives providers' informational health details (`<provider id>.<name>`); ignored when absent. */
  readonly onHealthDetails?: (component: string, details: () => Record<string, unknown> | Promise<Record<string, unknown>>) => void;
  /** Receives every `registerOperation` (the operation registry); operations are also listed by {@link ProviderHost.operations}. */
  readonly onOperation?: (cloudProvider: string, definition: OperationDefinition) => void;
  /** Receives providers' artifact account types (`registerArtifactAccountType`); without it they are refused. */
  readonly onArtifactAccountType?: (providerId: string, definition: ArtifactAccountTypeDefinition) => void;
  /** `caching.writeEnabled`: false makes an API-only replica that schedules no agents. */
  readonly schedulingEnabled?: boolean;
  readonly logger?: Logger;
  /** The server's metrics, offered to providers as `ProviderContext.metrics`. */
  readonly metrics?: ProviderMetrics;
}

interface OwnedAgents {
  readonly agents: readonly Agent[];
  readonly agentTypes: string[];
  readonly onDemand: OnDemandAgentBinding[];
}

/**
 * Hosts providers: gives each a {@link ProviderContext}, keeps one {@link CatsProviderCache} per
 * cache namespace over the configured store, and schedules the agents of accounts and providers
 * (grouped by an owner such as `account:prod`, so they can be unscheduled together). It is also the
 * source of on-demand agents and the composite read view.
 */
export class ProviderHost implements OnDemandAgentSource {
  readonly cache: CompositeCache;
  private readonly caches = new Map<string, { cache: CatsProviderCache; options: CacheNamespaceOptions }>();
  private readonly accountTypes = new Map<string, RegisteredAccountType>();
  private readonly owners = new Map<string, OwnedAgents>();
  /** agent type → the owner that scheduled it (kept in step with `owners`; avoids scanning every owner). */
  private readonly agentOwners = new Map<string, string>();
  private readonly loaded: LoadedProviderInfo[] = [];
  private readonly registeredOperations: { cloudProvider: string; providerId: string; definition: OperationDefinition }[] = [];
  private readonly logger: Logger;

  constructor(private readonly options: ProviderHostOptions) {
    this.logger = options.logger ?? silentLogger;
    this.cache = new CompositeCache(() => [...this.caches.values()].map((entry) => entry.cache));
  }

  get schedulingEnabled(): boolean {
    return this.options.schedulingEnabled ?? true;
  }

  /**
   * Registers a provider: calls its `register` with a context bound to its config block. Anything
   * it throws becomes a {@link ProviderLoadError} naming it.
   */
  async register(definition: ProviderDefinition, block: unknown, source?: string): Promise<LoadedProviderInfo> {
    const configKey = definition.configKey ?? definition.id;
    if (this.loaded.some((info) => info.id === definition.id)) {
      throw new ProviderLoadError(source ?? definition.id, `a provider with id "${definition.id}" is already loaded`);
    }
    const context = this.contextFor(definition, configKey, providerConfig(definition, configKey, block, source));
    try {
      await definition.register(context);
    } catch (error) {
      if (error instanceof ProviderLoadError) throw error;
      const reason = `its register() threw: ${error instanceof Error ? error.message : String(error)}`;
      throw new ProviderLoadError(source ? `${definition.id} (${source})` : definition.id, reason, { cause: error });
    }
    const info: LoadedProviderInfo = {
      id: definition.id,
      version: definition.version,
      apiVersion: definition.apiVersion,
      configKey,
      ...(source ? { source } : {}),
    };
    this.loaded.push(info);
    this.logger.info({ provider: definition.id, version: definition.version, source }, 'provider registered');
    return info;
  }

  providers(): readonly LoadedProviderInfo[] {
    return this.loaded;
  }

  /** The account type of a cloud provider (`aws`, `kubernetes`, …). */
  accountType(cloudProvider: string): RegisteredAccountType | undefined {
    return this.accountTypes.get(cloudProvider);
  }

  allAccountTypes(): RegisteredAccountType[] {
    return [...this.accountTypes.values()];
  }

  operations(): readonly { cloudProvider: string; providerId: string; definition: OperationDefinition }[] {
    return this.registeredOperations;
  }

  /** The cache of a namespace, created over the configured store on first use. */
  providerCache(namespace: string, options: CacheNamespaceOptions = {}): CatsProviderCache {
    const existing = this.caches.get(namespace);
    if (existing) {
      if (options.supportsFullEviction !== undefined && options.supportsFullEviction !== existing.options.supportsFullEviction) {
        this.logger.warn({ namespace }, 'cache namespace requested again with different supportsFullEviction; keeping the first');
      }
      return existing.cache;
    }
    const cache = new CatsProviderCache(this.options.cacheStoreFactory.getStore(namespace), options);
    this.caches.set(namespace, { cache, options });
    return cache;
  }

  /** Namespaces that have a provider cache. */
  namespaces(): string[] {
    return [...this.caches.keys()];
  }

  /**
   * Schedules `agents` under `owner`, replacing whatever that owner had scheduled. Returns the agent
   * types scheduled. On an API-only replica nothing is scheduled, but on-demand agents still serve
   * refreshes.
   */
  scheduleAgents(owner: string, agents: readonly Agent[]): string[] {
    this.unscheduleAgents(owner);
    const owned: OwnedAgents = { agents: [...agents], agentTypes: [], onDemand: [] };
    for (const agent of agents) {
      const execution = this.executionFor(agent);
      if (!execution) {
        this.logger.warn({ owner, agentType: agent.agentType }, 'agent is neither a caching agent nor a runnable agent; not scheduled');
        continue;
      }
      if (isOnDemandAgent(agent)) owned.onDemand.push({ agent, providerCache: this.providerCache(agent.providerName) });
      if (!this.schedulingEnabled) continue;
      const other = this.ownerOf(agent.agentType);
      if (other) this.logger.warn({ owner, other, agentType: agent.agentType }, 'agent type scheduled twice; the later one replaces the earlier');
      this.options.scheduler.schedule(agent, execution);
      this.agentOwners.set(agent.agentType, owner);
      owned.agentTypes.push(agent.agentType);
    }
    this.owners.set(owner, owned);
    return owned.agentTypes;
  }

  /** Unschedules every agent of `owner` (runs in flight are abandoned and their results discarded). */
  unscheduleAgents(owner: string): string[] {
    const owned = this.owners.get(owner);
    if (!owned) return [];
    this.owners.delete(owner);
    for (const agentType of owned.agentTypes) {
      if (this.agentOwners.get(agentType) !== owner) continue; // taken over by another owner meanwhile
      this.agentOwners.delete(agentType);
      this.options.scheduler.unschedule(agentType);
      this.options.scheduler.instrumentation.forget(agentType);
    }
    return owned.agentTypes;
  }

  /** Agent types currently scheduled for `owner`. */
  agentTypesOf(owner: string): readonly string[] {
    return this.owners.get(owner)?.agentTypes ?? [];
  }

  onDemandAgents(): readonly OnDemandAgentBinding[] {
    return [...this.owners.values()].flatMap((owned) => owned.onDemand);
  }

  private ownerOf(agentType: string): string | undefined {
    return this.agentOwners.get(agentType);
  }

  private executionFor(agent: Agent): AgentExecution | undefined {
    if (isCachingAgent(agent)) {
      this.providerCache(agent.providerName);
      const entry = this.caches.get(agent.providerName)!;
      return new CachingAgentExecution(agent, entry.cache, entry.options.supportsFullEviction ?? false);
    }
    if (isRunnableAgent(agent)) {
      return {
        execute: async (context) => {
          await agent.run({ signal: context.signal, ...(context.ownership ? { ownership: context.ownership } : {}) });
          return {};
        },
      };
    }
    return undefined;
  }

  private contextFor(definition: ProviderDefinition, configKey: string, config: Record<string, unknown>): ProviderContext {
    const logger = this.logger.child({ provider: definition.id });
    return {
      spiVersion: SPI_VERSION,
      logger,
      config,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      cache: this.cache,
      providerCache: (providerName, options) => this.providerCache(providerName, options),
      registerAccountType: (accountType) => {
        const existing = this.accountTypes.get(accountType.cloudProvider);
        if (existing) {
          throw new ProviderLoadError(definition.id, `account type "${accountType.cloudProvider}" is already registered by provider ${existing.providerId}`);
        }
        this.accountTypes.set(accountType.cloudProvider, {
          providerId: definition.id,
          configKey,
          definition: accountType as unknown as AccountTypeDefinition<AccountCredentials>,
        });
      },
      registerAgents: (agents) => {
        const owner = `provider:${definition.id}`;
        // A second call adds to the provider's housekeeping agents rather than replacing them.
        this.scheduleAgents(owner, [...(this.owners.get(owner)?.agents ?? []), ...agents]);
      },
      registerOperation: (cloudProvider, operation) => {
        this.registeredOperations.push({ cloudProvider, providerId: definition.id, definition: operation });
        this.options.onOperation?.(cloudProvider, operation);
      },
      registerReadModel: <K extends ReadModelKind>(cloudProvider: string, kind: K, model: ReadModels[K]) => {
        this.options.readModels.register(cloudProvider, kind, model);
      },
      registerKeyParser: (parser: KeyParser) => {
        this.options.keyParsers.register(parser);
      },
      registerHealthDetails: (name, details) => {
        this.options.onHealthDetails?.(`${definition.id}.${name}`, details);
      },
      registerArtifactAccountType: (artifactType) => {
        if (!this.options.onArtifactAccountType) throw new ProviderLoadError(definition.id, 'this host serves no artifact accounts');
        try {
          this.options.onArtifactAccountType(definition.id, artifactType);
        } catch (error) {
          throw new ProviderLoadError(definition.id, error instanceof Error ? error.message : String(error), { cause: error });
        }
      },
      registerRoutes: (routes) => {
        if (!this.options.routes) throw new ProviderLoadError(definition.id, 'this host serves no provider routes');
        try {
          this.options.routes.register(definition.id, routes);
        } catch (error) {
          throw new ProviderLoadError(definition.id, error instanceof Error ? error.message : String(error), { cause: error });
        }
      },
    };
  }
}

/**
 * The provider's config block (`<configKey>:` as written; anything but a map counts as empty), checked
 * by the provider's own `parseConfig` when it has one: a problem stops startup naming the key.
 */
function providerConfig(definition: ProviderDefinition, configKey: string, block: unknown, source?: string): Record<string, unknown> {
  const written = typeof block === 'object' && block !== null && !Array.isArray(block) ? (block as Record<string, unknown>) : {};
  if (!definition.parseConfig) return written;
  try {
    return definition.parseConfig(written);
  } catch (error) {
    const reason = `${configKey}.${error instanceof Error ? error.message : String(error)}`;
    throw new ProviderLoadError(source ? `${definition.id} (${source})` : definition.id, `invalid configuration: ${reason}`, { cause: error });
  }
}
