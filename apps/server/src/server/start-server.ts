import {
  ACCESS_RESOLVER,
  ACCOUNT_DEFINITION_STORE,
  ACCOUNT_LOOKUP,
  CacheStoreEntityTagsStore,
  ENTITY_TAGS_NAMESPACE,
  ENTITY_TAGS_SERVICE,
  EntityTagsService,
  FRONT50_CLIENT,
  HttpFront50Client,
  AGENT_SCHEDULER,
  AccountRegistry,
  CACHE,
  CACHE_STORE_FACTORY,
  KEY_PARSER_REGISTRY,
  PROVIDER_ROUTE_REGISTRY,
  ProviderRouteRegistry,
  KeyParserRegistry,
  LOGGER,
  METRICS,
  MapReadModelRegistry,
  NODE_ID,
  FiatAccessResolver,
  ON_DEMAND_AGENT_SOURCE,
  OPEN_ACCESS,
  OPERATION_LIMITS,
  ON_DEMAND_CACHE_UPDATER,
  OPERATIONS_SERVICE,
  OPERATION_REGISTRY,
  OnDemandCacheUpdater,
  OnDemandRecordCleanupAgent,
  OperationRegistry,
  OperationsService,
  PermissionAccessResolver,
  ProviderHost,
  READ_MODEL_REGISTRY,
  TASK_REPOSITORY,
  checkSpiVersion,
  loadProvider,
  registerReadServices,
  type AccountSyncReport,
} from '@stratus/core';
import { logAgentFailures } from '@stratus/core';
import type { Logger as SpiLogger, ProviderDefinition } from '@stratus/plugin-api';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ACCOUNT_SERVICE, AccountService } from '../accounts/account-service.js';
import { CACHE_NAMESPACE_ADMIN, CacheNamespaceAdmin } from '../admin/cache-namespace-admin.js';
import { createStorage } from '../adapters/create-storage.js';
import { ArtifactTypeCollector, registerArtifacts } from '../artifacts/register-artifacts.js';
import { STORAGE_ADAPTERS } from '../adapters/index.js';
import type { StorageAdapter } from '../adapters/storage-adapter.js';
import { BUILT_IN_PROVIDERS, type StratusConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { registerValue } from '../di.js';
import { ServerHealth } from '../health/server-health.js';
import { createApp } from '../http/create-app.js';
import { entityTagsOperations } from '../entity-tags/entity-tags-operations.js';
import { instrumentAgents, instrumentCacheStoreFactory, instrumentTaskRepository } from '../metrics/instrument.js';
import { PromMetricsRegistry } from '../metrics/prom-metrics-registry.js';
import { IDENTITY_TRUST, LOADED_PROVIDERS, PROM_METRICS, SERVER_HEALTH, SERVER_INFO, STORAGE_ACCOUNT_NAMES } from '../tokens.js';
import { unusedTopLevelKeys } from '../config/validate-config.js';
import { registerCacheIntrospectionRoute } from '../routes/cache-routes.js';
import { watchConfigFile } from './config-watcher.js';
import { listenMainPort } from './listen-main-port.js';

export interface StartServerOptions {
  readonly config: StratusConfig;
  /** The whole config document (provider blocks as written). */
  readonly raw: Record<string, unknown>;
  /** The file the config came from; reloads re-read it. */
  readonly configPath?: string;
  readonly logger?: Logger;
  /** Reload on SIGHUP and shut down on SIGTERM/SIGINT (the CLI sets it; tests do not). */
  readonly handleSignals?: boolean;
  readonly adapters?: readonly StorageAdapter[];
  /** Environment for config reloads (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Providers already in hand (embedding, tests), registered before those named in config. */
  readonly providers?: readonly ProviderDefinition[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The management port's URL (`management.server.port`), when one is configured. */
  readonly managementUrl?: string;
  readonly container: DependencyContainer;
  readonly host: ProviderHost;
  readonly accounts: AccountRegistry;
  /** Re-reads the config file (if any) and re-syncs accounts; a bad file is logged and ignored. */
  reload(): Promise<AccountSyncReport | undefined>;
  /** Graceful shutdown; resolves once everything is closed. Safe to call twice. */
  shutdown(reason?: string): Promise<void>;
}

const serverDir = dirname(fileURLToPath(import.meta.url));

/** Where provider package names are resolved from: the config's directory, the working directory, the server package. */
export function resolveBases(configPath: string | undefined): string[] {
  const bases = [configPath ? dirname(resolvePath(configPath)) : undefined, process.cwd(), resolvePath(serverDir, '..', '..')];
  return [...new Set(bases.filter((base): base is string => base !== undefined))];
}

/** Package names (or paths) of the providers to load: enabled built-ins, then `providers`. */
export function providerSpecs(config: StratusConfig, raw: Record<string, unknown>): string[] {
  const builtIns = Object.entries(BUILT_IN_PROVIDERS)
    .filter(([key]) => (raw[key] as { enabled?: unknown } | undefined)?.enabled === true)
    .map(([, pkg]) => pkg);
  return [...new Set([...builtIns, ...config.providers])];
}

/**
 * Assembles and starts a Stratus server: storage from the adapters the config selects, core
 * services in a tsyringe container, providers loaded and registered, accounts synced (their agents
 * scheduled unless `caching.writeEnabled` is false), HTTP listening, then readiness goes UP.
 * A provider that fails to load stops startup with an error naming it; a bad account does not.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  let { config, raw } = options;
  const logger = options.logger ?? pino({ level: config.logging.level, base: { service: 'stratus' } });
  const spiLogger = logger as unknown as SpiLogger;
  const nodeId = config.server.nodeId ?? `${hostname()}-${process.pid}`;
  const container = rootContainer.createChildContainer();
  const closers: (() => Promise<void> | void)[] = [];
  const cleanups: (() => void)[] = [];

  const metrics = new PromMetricsRegistry();
  registerValue(container, PROM_METRICS, metrics);
  registerValue(container, METRICS, metrics);
  const health = new ServerHealth();
  registerValue(container, SERVER_HEALTH, health);
  registerValue(container, SERVER_INFO, { demo: config.demo.enabled, nodeId });
  registerValue(container, LOGGER, spiLogger);
  registerValue(container, NODE_ID, nodeId);

  const storage = await createStorage(options.adapters ?? STORAGE_ADAPTERS, {
    config,
    logger: spiLogger,
    nodeId,
    metrics,
    schedulerDefaults: {
      intervalMs: config.caching.poll.intervalSeconds * 1000,
      errorIntervalMs: config.caching.poll.errorIntervalSeconds * 1000,
      timeoutMs: config.caching.poll.timeoutSeconds * 1000,
    },
    maxConcurrentAgents: config.caching.maxConcurrentAgents,
    onClose: (close) => closers.push(close),
  }).catch(async (error: unknown) => {
    // Whatever an adapter opened before another failed (a shared pool) must not keep the process alive.
    await closeAll([...closers].reverse(), logger);
    throw error;
  });
  const cacheStoreFactory = instrumentCacheStoreFactory(storage.cacheStoreFactory, metrics);
  const taskRepository = instrumentTaskRepository(storage.taskRepository, metrics);
  const { scheduler } = storage;
  registerValue(container, CACHE_STORE_FACTORY, cacheStoreFactory);
  registerValue(container, TASK_REPOSITORY, taskRepository);
  registerValue(container, AGENT_SCHEDULER, scheduler);
  registerValue(container, ACCOUNT_DEFINITION_STORE, storage.accountDefinitionStore);
  cleanups.push(instrumentAgents(scheduler.instrumentation, metrics));
  // Every provider's failing agents reach the log: first failure, every 10th, recovery.
  cleanups.push(logAgentFailures(scheduler.instrumentation, spiLogger.child({ component: 'agents' })));
  health.addCheck({ name: 'cacheStore', kind: storage.cacheStoreFactory.kind, check: () => storage.cacheStoreFactory.ping() });
  health.addCheck({ name: 'taskRepository', kind: storage.taskRepository.kind, check: () => storage.taskRepository.ping() });

  const readModels = new MapReadModelRegistry();
  const keyParsers = new KeyParserRegistry();
  const providerRoutes = new ProviderRouteRegistry();
  const operations = new OperationRegistry();
  const artifactTypes = new ArtifactTypeCollector(raw);
  const host = new ProviderHost({
    onArtifactAccountType: (providerId, definition) => artifactTypes.add(providerId, definition),
    cacheStoreFactory,
    scheduler,
    readModels,
    keyParsers,
    routes: providerRoutes,
    // Informational, like the accounts component: a provider's details never fail readiness.
    onHealthDetails: (component, details) =>
      health.addCheck({
        name: component,
        check: async () => {
          try {
            return await details();
          } catch (error) {
            return { error: error instanceof Error ? error.message : String(error) };
          }
        },
      }),
    onOperation: (cloudProvider, definition) => operations.register(cloudProvider, definition),
    schedulingEnabled: config.caching.writeEnabled,
    logger: spiLogger,
    metrics,
  });
  registerValue(container, CACHE, host.cache);
  registerValue(container, READ_MODEL_REGISTRY, readModels);
  registerValue(container, KEY_PARSER_REGISTRY, keyParsers);
  registerValue(container, PROVIDER_ROUTE_REGISTRY, providerRoutes);
  registerValue(container, OPERATION_REGISTRY, operations);
  registerValue(container, ON_DEMAND_AGENT_SOURCE, host);
  registerValue(container, LOADED_PROVIDERS, () => host.providers());
  registerValue(container, STORAGE_ACCOUNT_NAMES, () => config.storage.accounts.map((account) => account.name));

  const accounts = new AccountRegistry(host, { logger: spiLogger.child({ component: 'accounts' }) });
  registerValue(container, ACCOUNT_LOOKUP, accounts);
  const fiat = config.services.fiat;
  registerValue(
    container,
    ACCESS_RESOLVER,
    fiat.enabled && fiat.baseUrl
      ? new FiatAccessResolver({
          baseUrl: fiat.baseUrl,
          cacheTtlMs: fiat.cacheTtlSeconds * 1000,
          timeoutMs: fiat.timeoutSeconds * 1000,
          logger: spiLogger.child({ component: 'fiat' }),
        })
      : new PermissionAccessResolver(accounts, () => config.security),
  );
  // Read per request, so a reload of `security` applies at once.
  container.register(IDENTITY_TRUST, {
    useFactory: () => ({
      trustedProxies: config.security.identity.trustedProxies,
      sharedSecretHeader: config.security.identity.sharedSecretHeader,
      ...(config.security.identity.sharedSecret ? { sharedSecret: config.security.identity.sharedSecret } : {}),
      ...(config.security.rolesHeader ? { rolesHeader: config.security.rolesHeader } : {}),
      ...(config.server.ssl.enabled && config.server.ssl.clientAuth !== 'none' ? { clientCertificate: true } : {}),
    }),
  });
  registerValue(container, OPERATION_LIMITS, { maxOperationsPerRequest: config.operations.maxPerRequest });
  // Entity tags live in the configured store and their operations belong to no cloud.
  const entityTags = new EntityTagsService(new CacheStoreEntityTagsStore(cacheStoreFactory.getStore(ENTITY_TAGS_NAMESPACE)), accounts);
  registerValue(container, ENTITY_TAGS_SERVICE, entityTags);
  for (const definition of entityTagsOperations(entityTags)) operations.registerProviderIndependent(definition);
  const cacheNamespaceAdmin = new CacheNamespaceAdmin(config, () => config.security.adminRoles);
  registerValue(container, CACHE_NAMESPACE_ADMIN, cacheNamespaceAdmin);
  closers.push(() => cacheNamespaceAdmin.close());
  // Like Clouddriver's AccountHealthIndicator: always UP (a bad account must not take the replica
  // out of rotation), with the accounts that failed to load as details.
  health.addCheck({
    name: 'accounts',
    check: async () => ({
      loaded: accounts.all().length,
      problems: accounts.problems().map((problem) => ({ name: problem.name, cloudProvider: problem.cloudProvider, error: problem.error })),
    }),
  });
  const accountService = new AccountService({
    registry: accounts,
    host,
    store: storage.accountDefinitionStore,
    config: () => ({ config, raw }),
  });
  registerValue(container, ACCOUNT_SERVICE, accountService);

  container.registerSingleton(OPERATIONS_SERVICE, OperationsService);
  container.registerSingleton(ON_DEMAND_CACHE_UPDATER, OnDemandCacheUpdater);
  registerReadServices(container);
  const front50 = config.services.front50;
  if (front50.enabled && front50.baseUrl) {
    registerValue(container, FRONT50_CLIENT, new HttpFront50Client({ baseUrl: front50.baseUrl, timeoutMs: front50.timeoutSeconds * 1000 }));
  }

  const stopEarly = async () => {
    for (const cleanup of cleanups) cleanup();
    await scheduler.stop(1_000).catch(() => undefined);
    await accounts.clear().catch(() => undefined);
    await closeAll([() => taskRepository.close(), () => cacheStoreFactory.close(), ...closers.reverse()], logger);
  };

  try {
    for (const definition of options.providers ?? []) {
      checkSpiVersion(definition.id, definition);
      const block = raw[definition.configKey ?? definition.id];
      await host.register(definition, isRecord(block) ? block : {});
    }
    for (const spec of providerSpecs(config, raw)) {
      const definition = await loadProvider(spec, { resolveFrom: resolveBases(options.configPath) });
      const enabledBy = Object.entries(BUILT_IN_PROVIDERS).find(([, pkg]) => pkg === spec)?.[0];
      if (enabledBy && enabledBy !== (definition.configKey ?? definition.id)) {
        logger.warn({ provider: definition.id, enabledBy, configKey: definition.configKey ?? definition.id }, 'provider reads its accounts from another config key than the one that enabled it');
      }
      const block = raw[definition.configKey ?? definition.id];
      await host.register(definition, isRecord(block) ? block : {}, spec);
    }
  } catch (error) {
    await stopEarly();
    throw error;
  }
  const artifacts = await registerArtifacts(container, {
    types: artifactTypes.types,
    block: config.artifacts,
    cache: host.providerCache('artifacts'),
    adminRoles: () => config.security.adminRoles,
    logger: spiLogger.child({ component: 'artifacts' }),
  }).catch(async (error: unknown) => {
    await stopEarly();
    throw error;
  });
  closers.push(() => artifacts.close());
  // Operations read the artifacts they are given (a Kubernetes manifest from an artifact) through it.
  container.resolve<OperationsService>(OPERATIONS_SERVICE).useArtifactDownloads(artifacts.downloader);

  if (config.caching.writeEnabled) {
    host.scheduleAgents('core', [new OnDemandRecordCleanupAgent(host, { logger: spiLogger.child({ agent: 'OnDemandRecordCleanupAgent' }) })]);
  }
  // The same check `stratus config validate` makes (config/validate-config.ts).
  const unused = unusedTopLevelKeys(raw, host.providers().map((provider) => provider.configKey));
  if (unused.unknownKeys.length > 0) {
    logger.warn({ keys: unused.unknownKeys }, 'config keys not used by Stratus or any loaded provider (typo, or a provider that is not enabled?)');
  }
  if (unused.ignoredKeys.length > 0) logger.info({ keys: unused.ignoredKeys }, 'Clouddriver config keys that Stratus does not use');
  const report = await accountService.sync();
  logger.info(
    { accounts: report.added.length, problems: report.problems.length, storage: storage.adapters, providers: host.providers().map((p) => p.id) },
    'accounts loaded',
  );
  // Task leases: renew this replica's, take over those of replicas that died (docs/operator-guide.md).
  // Shutdown's drain stops them once the running tasks are done, so they keep renewing until then.
  container.resolve<OperationsService>(OPERATIONS_SERVICE).startLeases({ leaseMs: config.admin.tasks.leaseSeconds * 1000 });
  if (config.caching.writeEnabled) scheduler.start();
  else logger.info('caching.writeEnabled is false: API-only replica, no agents are scheduled');

  const rate = config.server.rateLimit;
  const { app } = createApp({
    container,
    logger,
    ...(rate.enabled ? { rateLimit: { windowMs: rate.windowSeconds * 1000, max: rate.maxPostsPerWindow } } : {}),
  });
  let server: Server;
  let managementServer: Server | undefined;
  try {
    server = await listenMainPort(app, config.server);
    const management = config.management.server;
    if (management.port !== undefined) {
      // Operators only (a port the load balancer does not expose): metrics, readiness details and
      // introspection in full, for every account.
      const managementApp = createApp({ container, logger, routeModules: [registerCacheIntrospectionRoute], fixedAccess: OPEN_ACCESS });
      managementServer = await listen(managementApp.app, management.port, management.address ?? config.server.address).catch(async (error: unknown) => {
        await closeServer(server);
        throw error;
      });
      const managementAddress = managementServer.address();
      logger.info({ port: typeof managementAddress === 'object' && managementAddress ? managementAddress.port : management.port }, 'management port listening');
    }
  } catch (error) {
    await stopEarly();
    throw error;
  }
  server.keepAliveTimeout = config.server.keepAliveTimeoutSeconds * 1000;
  server.headersTimeout = server.keepAliveTimeout + 1_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const shownHost = config.server.address === '0.0.0.0' || config.server.address === '::' ? '127.0.0.1' : config.server.address;
  const url = `${config.server.ssl.enabled ? 'https' : 'http'}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  const reload = async (): Promise<AccountSyncReport | undefined> => {
    if (options.configPath) {
      try {
        const loaded = loadConfig({ path: options.configPath, ...(options.env ? { env: options.env } : {}) });
        const restartNeeded = changedOutsideAccounts(raw, loaded.raw, host.providers().map((provider) => provider.configKey));
        if (restartNeeded.length > 0) logger.warn({ keys: restartNeeded }, 'config changes outside accounts take effect after a restart');
        config = loaded.config;
        raw = loaded.raw;
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'config reload failed; keeping the running configuration');
        return undefined;
      }
    }
    const result = await accountService.sync();
    await artifacts.reload(config.artifacts);
    logger.info({ added: result.added, updated: result.updated, removed: result.removed, problems: result.problems.length }, 'accounts reloaded');
    return result;
  };

  if (config.account.storage.enabled) {
    // Other replicas may change stored accounts; re-reading is cheap when nothing changed.
    const timer = setInterval(() => {
      accountService.sync().catch((error: unknown) => logger.warn({ err: error }, 'polling stored accounts failed'));
    }, config.account.storage.pollIntervalSeconds * 1000);
    timer.unref();
    cleanups.push(() => clearInterval(timer));
  }

  if (options.configPath && config.dynamicConfig.enabled) {
    cleanups.push(watchConfigFile(options.configPath, () => void reload()));
  }

  let stopping: Promise<void> | undefined;
  const shutdown = (reason = 'shutdown requested'): Promise<void> =>
    (stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      health.markStopping();
      for (const cleanup of cleanups) cleanup();
      await scheduler.stop(10_000);
      const drained = await container
        .resolve<OperationsService>(OPERATIONS_SERVICE)
        .drain(config.admin.tasks.shutdownWaitSeconds * 1000)
        .catch(() => false);
      if (!drained) logger.warn('operations still running at the shutdown deadline were aborted');
      await closeServer(server);
      if (managementServer) await closeServer(managementServer);
      await accounts.clear();
      await closeAll([() => taskRepository.close(), () => cacheStoreFactory.close(), ...closers.reverse()], logger);
      logger.info('stopped');
    })());

  if (options.handleSignals) {
    const onHup = () => void reload();
    const onStop = (signal: string) => () => {
      // A second signal must not end the drain: a process-group signal reaches both `pnpm` and the
      // server, and pnpm forwards its own copy, so one Ctrl-C or SIGTERM can arrive twice. These
      // handlers outlive the shutdown's cleanups (which remove the ones below) until the process exits.
      const repeated = (again: NodeJS.Signals) => logger.warn({ signal: again }, 'already draining; send SIGKILL to stop at once');
      process.on('SIGTERM', repeated);
      process.on('SIGINT', repeated);
      void shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    const onTerm = onStop('SIGTERM');
    const onInt = onStop('SIGINT');
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', onTerm);
    process.once('SIGINT', onInt);
    cleanups.push(() => {
      process.off('SIGHUP', onHup);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
    });
  }

  health.markReady();
  // `url` is where a local client reaches it; `listening` is what the socket is bound to (all interfaces or one).
  logger.info(
    { url, listening: `${config.server.address}:${port}`, nodeId, storage: storage.adapters, writeEnabled: config.caching.writeEnabled },
    'Stratus is ready',
  );
  const managementAddress = managementServer?.address();
  const managementUrl =
    typeof managementAddress === 'object' && managementAddress ? `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${managementAddress.port}` : undefined;
  return { url, port, ...(managementUrl ? { managementUrl } : {}), container, host, accounts, reload, shutdown };
}

/** Sections a reload applies without a restart. */
const LIVE_SECTIONS = new Set(['security']);

/** Top-level keys whose value changed, ignoring what reloads live (`security`, `accounts` in provider blocks). */
function changedOutsideAccounts(before: Record<string, unknown>, after: Record<string, unknown>, providerKeys: readonly string[]): string[] {
  const providers = new Set(providerKeys);
  const comparable = (key: string, value: unknown) => {
    if (providers.has(key) && isRecord(value)) {
      const { accounts: _accounts, ...rest } = value;
      return JSON.stringify(rest);
    }
    return JSON.stringify(value);
  };
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !LIVE_SECTIONS.has(key) && comparable(key, before[key]) !== comparable(key, after[key]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listen(app: ReturnType<typeof createApp>['app'], port: number, address: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    // Express 5 calls this back on 'error' too, with the error.
    const listening = app.listen(port, address, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
}

/** Stops accepting connections, closes idle ones, and cuts the rest after a few seconds. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 5_000);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

async function closeAll(closers: readonly (() => Promise<void> | void)[], logger: Logger): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (error) {
      logger.warn({ err: error }, 'closing a store failed');
    }
  }
}
