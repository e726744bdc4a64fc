import {
  SPI_VERSION,
  isCachingAgent,
  isOnDemandAgent,
  silentLogger,
  type AccountCredentials,
  type AccountTypeDefinition,
  type Agent,
  type CacheNamespaceOptions,
  type CachingAgent,
  type OperationDefinition,
  type OperationTask,
  type ArtifactAccountTypeDefinition,
  type ProviderContext,
  type ProviderDefinition,
  type ReadModelKind,
  type ReadModels,
  type KeyParser,
  type ProviderRoute,
  type ProviderRouteRequest,
  type ProviderRouteResponse,
  type RouteCaller,
} from '@stratus/plugin-api';
import { CachingAgentExecution, CatsProviderCache, CompositeCache, MemoryCacheStoreFactory, SingleNodeScheduler } from '@stratus/core';

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message?: string;
}

export interface OperationRun {
  /** Field errors from the validator; when present the operation did not run. */
  readonly errors: FieldError[];
  readonly result?: unknown;
  readonly history: { phase: string; status: string }[];
}

export interface OnDemandOutcome {
  /** `PENDING` when some handling agent returned data (non-atomic scheduler), else `SUCCESSFUL`. */
  readonly status: 'PENDING' | 'SUCCESSFUL';
  readonly cachedIdentifiersByType: Record<string, string[]>;
}

/** The caller provider routes see in tests: may read and write every account. */
const OPEN_CALLER: RouteCaller = { canReadAccount: () => true, canWriteAccount: () => true };

/**
 * A minimal, in-process provider host for tests: implements {@link ProviderContext} over the core's
 * memory store, CATS engine and single-node scheduler, and drives agents, operations and on-demand
 * refreshes the way the server does (without HTTP). Enough to test a provider end to end in one file.
 */
export class ProviderTestHost implements ProviderContext {
  readonly spiVersion = SPI_VERSION;
  readonly logger = silentLogger;
  readonly cache: CompositeCache;
  readonly operations = new Map<string, OperationDefinition>();
  readonly readModels: Partial<ReadModels> = {};
  readonly keyParsers: KeyParser[] = [];
  readonly housekeepingAgents: Agent[] = [];
  readonly routes: ProviderRoute[] = [];
  private readonly stores: MemoryCacheStoreFactory;
  private readonly caches = new Map<string, CatsProviderCache>();
  private readonly cacheOptions = new Map<string, CacheNamespaceOptions>();
  private readonly accountTypes: AccountTypeDefinition[] = [];
  private readonly accounts = new Map<string, { credentials: AccountCredentials; type: AccountTypeDefinition; agents: Agent[] }>();

  private constructor(
    readonly config: Record<string, unknown>,
    private readonly now: () => number,
  ) {
    this.stores = new MemoryCacheStoreFactory(now);
    this.cache = new CompositeCache(() => [...this.caches.values()]);
  }

  /** Registers `provider` with `config` (its block, e.g. `{accounts: [...]}`) and adds the configured accounts. */
  static async create(provider: ProviderDefinition, config: Record<string, unknown> = {}, now: () => number = Date.now): Promise<ProviderTestHost> {
    // As the server does: the provider checks its own block first (a thrown error is the test's to see).
    const host = new ProviderTestHost(provider.parseConfig ? provider.parseConfig(config) : config, now);
    await provider.register(host);
    const accounts = Array.isArray(config.accounts) ? (config.accounts as Record<string, unknown>[]) : [];
    for (const raw of accounts) host.addAccount(raw);
    return host;
  }

  // ---- ProviderContext ----

  providerCache(providerName: string, options: CacheNamespaceOptions = {}): CatsProviderCache {
    let cache = this.caches.get(providerName);
    if (!cache) {
      this.caches.set(providerName, (cache = new CatsProviderCache(this.stores.getStore(providerName), options, this.now)));
      this.cacheOptions.set(providerName, options);
    }
    return cache;
  }

  /** How the server runs a caching agent: through CachingAgentExecution, with its namespace's eviction option. */
  private execution(agent: CachingAgent): CachingAgentExecution {
    const cache = this.providerCache(agent.providerName);
    return new CachingAgentExecution(agent, cache, this.cacheOptions.get(agent.providerName)?.supportsFullEviction ?? false);
  }

  registerAccountType<A extends AccountCredentials>(definition: AccountTypeDefinition<A>): void {
    this.accountTypes.push(definition as unknown as AccountTypeDefinition);
  }

  registerAgents(agents: readonly Agent[]): void {
    this.housekeepingAgents.push(...agents);
  }

  registerOperation(_cloudProvider: string, definition: OperationDefinition): void {
    this.operations.set(definition.name, definition);
  }

  registerReadModel<K extends ReadModelKind>(_cloudProvider: string, kind: K, model: ReadModels[K]): void {
    this.readModels[kind] = model;
  }

  registerKeyParser(parser: KeyParser): void {
    this.keyParsers.push(parser);
  }

  /** Health details providers registered, by name; call them to see what readiness would show. */
  readonly healthDetails = new Map<string, () => Record<string, unknown> | Promise<Record<string, unknown>>>();

  registerHealthDetails(name: string, details: () => Record<string, unknown> | Promise<Record<string, unknown>>): void {
    this.healthDetails.set(name, details);
  }

  registerRoutes(routes: readonly ProviderRoute[]): void {
    this.routes.push(...routes);
  }

  /** Artifact account types the provider registered, in order. */
  readonly artifactAccountTypes: ArtifactAccountTypeDefinition[] = [];

  registerArtifactAccountType(definition: ArtifactAccountTypeDefinition): void {
    this.artifactAccountTypes.push(definition);
  }

  /** Calls the provider route matching `method` and `path` (e.g. `/manifests/prod/default/pod web`) as the server would. */
  async callRoute(method: ProviderRoute['method'], path: string, request: Partial<Omit<ProviderRouteRequest, 'params'>> = {}): Promise<ProviderRouteResponse> {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const names: string[] = [];
      const pattern = new RegExp(
        '^' + route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)')) + '$',
      );
      const match = pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      return route.handle({ params, query: request.query ?? {}, body: request.body, caller: request.caller ?? OPEN_CALLER });
    }
    throw new Error(`no provider route for ${method.toUpperCase()} ${path}`);
  }

  // ---- driving ----

  /** Parses an account with the (first) registered account type and builds its agents; `origin` as the server passes it. */
  addAccount(raw: Record<string, unknown>, origin: 'config' | 'storage' = 'config'): AccountCredentials {
    const type = this.accountTypes[0];
    if (!type) throw new Error('the provider registered no account type');
    const credentials = type.parse(raw, {}, { origin });
    this.accounts.set(credentials.name, { credentials, type, agents: type.agents(credentials) });
    return credentials;
  }

  async removeAccount(name: string): Promise<void> {
    const account = this.accounts.get(name);
    this.accounts.delete(name);
    await account?.type.dispose?.(account.credentials);
  }

  /** Account agents first (in registration order), then housekeeping agents. */
  agents(): Agent[] {
    return [...[...this.accounts.values()].flatMap((account) => account.agents), ...this.housekeepingAgents];
  }

  cachingAgents(): CachingAgent[] {
    return this.agents().filter(isCachingAgent);
  }

  /** Runs every caching agent (or those matching `filter`) once, one after another, through CachingAgentExecution. */
  async runAgents(filter: (agent: CachingAgent) => boolean = () => true): Promise<void> {
    for (const agent of this.cachingAgents().filter(filter)) {
      await this.execution(agent).execute({ signal: new AbortController().signal, guardedWrite: (write) => write() });
    }
  }

  /**
   * Runs every caching agent once through a {@link SingleNodeScheduler} (account agents concurrently,
   * then housekeeping agents), waiting until each has finished; throws if one failed.
   */
  async runAgentsWithScheduler(maxConcurrentAgents = 4): Promise<void> {
    const account = this.cachingAgents().filter((agent) => agent.accountName !== undefined);
    const housekeeping = this.cachingAgents().filter((agent) => agent.accountName === undefined);
    for (const batch of [account, housekeeping]) {
      if (batch.length === 0) continue;
      const scheduler = new SingleNodeScheduler({ maxConcurrentAgents, intervalMs: 3_600_000 });
      const pending = new Set(batch.map((agent) => agent.agentType));
      const failures: string[] = [];
      const done = new Promise<void>((resolve) => {
        scheduler.instrumentation.onExecution((event) => {
          if (event.result !== 'success') failures.push(`${event.agent.agentType}: ${event.result} ${String(event.error)}`);
          pending.delete(event.agent.agentType);
          if (pending.size === 0) resolve();
        });
      });
      for (const agent of batch) scheduler.schedule(agent, this.execution(agent));
      scheduler.start();
      await done;
      await scheduler.stop(1_000);
      if (failures.length > 0) throw new Error(`agent runs failed: ${failures.join('; ')}`);
    }
  }

  /** Converts, validates and (when valid) runs one operation, recording the task history. */
  async runOperation(name: string, input: Record<string, unknown>, signal: AbortSignal = new AbortController().signal): Promise<OperationRun> {
    const definition = this.operations.get(name);
    if (!definition) throw new Error(`no operation ${name}`);
    const description = definition.converter.convertDescription(input);
    const errors: FieldError[] = [];
    await definition.validator?.validate(
      description,
      {
        reject: (field, code, message) => void errors.push({ field, code, ...(message ? { message } : {}) }),
        get hasErrors() {
          return errors.length > 0;
        },
      },
      [],
    );
    const history: { phase: string; status: string }[] = [];
    if (errors.length > 0) return { errors, history };
    const task: OperationTask = {
      id: `test-${name}`,
      updateStatus: async (phase, status) => void history.push({ phase, status }),
      addOutput: async () => {},
    };
    const operation = definition.converter.convertOperation(description);
    const result = await operation.operate([], { task, signal, account: (account) => this.accounts.get(account)?.credentials });
    return { errors, result, history };
  }

  /** What `POST /cache/{cloudProvider}/{type}` does with a non-atomic scheduler (Clouddriver's CatsOnDemandCacheUpdater). */
  async onDemand(type: string, cloudProvider: string, data: Record<string, unknown>): Promise<OnDemandOutcome> {
    const cachedIdentifiersByType: Record<string, string[]> = {};
    let pending = false;
    for (const agent of this.agents().filter(isOnDemandAgent)) {
      if (!agent.handles(type, cloudProvider)) continue;
      const cache = this.providerCache(agent.providerName);
      const result = await agent.handle(cache, data);
      if (!result) continue;
      const items = Object.entries(result.cacheResult.cacheResults);
      if (items.some(([, list]) => list.length > 0)) {
        pending = true;
        for (const [t, list] of items) (cachedIdentifiersByType[t] ??= []).push(...list.map((item) => item.id));
      }
      await cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
    }
    return { status: pending ? 'PENDING' : 'SUCCESSFUL', cachedIdentifiersByType };
  }

  /** What `GET /cache/{cloudProvider}/{type}` lists. */
  async pendingOnDemand(type: string, cloudProvider: string) {
    const agents = this.agents()
      .filter(isOnDemandAgent)
      .filter((agent) => agent.handles(type, cloudProvider));
    return (await Promise.all(agents.map((agent) => agent.pendingOnDemandRequests(this.providerCache(agent.providerName))))).flat();
  }
}
