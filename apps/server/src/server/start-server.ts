import {
  Lifecycle,
  ModuleAssembly,
  onDemandModule,
  readServicesModule,
  type AccountRegistry,
  type AccountSyncReport,
  type ProviderHost,
  type StorageAdapter,
} from '@stratus/core';
import type { Logger as SpiLogger, ProviderDefinition } from '@stratus/plugin-api';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { serverLogger } from '../logging/server-logger.js';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ConfigError } from '../config/config-error.js';
import type { StratusConfig } from '../config/config-schema.js';
import { resolve } from '../di.js';
import { accountsModule } from '../modules/accounts-module.js';
import { adminModule } from '../modules/admin-module.js';
import { artifactsModule } from '../modules/artifacts-module.js';
import { configReloadModule, configWatchModule } from '../modules/config-reload-module.js';
import type { ServerModule } from '../modules/define-server-module.js';
import { entityTagsModule } from '../modules/entity-tags-module.js';
import { front50Module } from '../modules/front50-module.js';
import { httpModule } from '../modules/http-module.js';
import { ACCOUNT_REGISTRY, ACCOUNT_SYNC_STATE, HTTP_ENDPOINTS, PROVIDER_HOST } from '../modules/module-tokens.js';
import { operationsModule } from '../modules/operations-module.js';
import { providerHostModule } from '../modules/provider-host-module.js';
import { providersModule } from '../modules/providers-module.js';
import { readinessModule } from '../modules/readiness-module.js';
import { schedulingModule } from '../modules/scheduling-module.js';
import { securityModule } from '../modules/security-module.js';
import { serverBasicsModule } from '../modules/server-basics-module.js';
import { signalsModule } from '../modules/signals-module.js';
import { STORAGE_MODULES } from '../modules/storage-adapter-modules.js';
import { storageModule } from '../modules/storage-module.js';

export { providerSpecs, resolveBases } from '../modules/providers-module.js';

export interface StartServerOptions {
  readonly config: StratusConfig;
  /** The whole config document (provider blocks as written). */
  readonly raw: Record<string, unknown>;
  /** The file the config came from; reloads re-read it. */
  readonly configPath?: string;
  readonly logger?: Logger;
  /** Reload on SIGHUP and shut down on SIGTERM/SIGINT (the CLI sets it; tests do not). */
  readonly handleSignals?: boolean;
  /** Storage adapters to choose from instead of the built-in store modules (tests). */
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

/**
 * The server's feature modules, in order: each binds what later ones depend on, and start hooks run
 * in this order (docs/architecture.md, "Feature modules"). A new store, a new provider or a new
 * read endpoint changes this list by at most one line.
 */
function serverModules(options: StartServerOptions, basics: Parameters<typeof serverBasicsModule>[0]): ServerModule[] {
  const reloadOptions = { ...(options.configPath ? { configPath: options.configPath } : {}), ...(options.env ? { env: options.env } : {}) };
  return [
    serverBasicsModule(basics),
    // Stores, in order of precedence per concern; memory is the fallback.
    ...STORAGE_MODULES,
    storageModule(options.adapters),
    // Core services.
    providerHostModule,
    configReloadModule(reloadOptions),
    accountsModule,
    securityModule,
    front50Module,
    onDemandModule,
    readServicesModule,
    operationsModule,
    entityTagsModule,
    adminModule,
    // Providers (built-in and third-party alike), then what needs their registrations.
    providersModule({ ...(options.providers ? { providers: options.providers } : {}), ...(options.configPath ? { configPath: options.configPath } : {}) }),
    artifactsModule,
    // Lifecycle: schedule, listen, reload, signals, then readiness.
    schedulingModule,
    httpModule,
    configWatchModule(reloadOptions),
    ...(options.handleSignals ? [signalsModule] : []),
    readinessModule,
  ];
}

/**
 * Assembles and starts a Stratus server: every module registers (storage, core services, providers
 * loaded and registered), then the lifecycle starts (accounts synced, scheduler started unless
 * `caching.writeEnabled` is false, HTTP listening, readiness UP). A provider that fails to load
 * stops startup with an error naming it, after closing what was opened; a bad account does not.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  let live = { config: options.config, raw: options.raw };
  const logger = options.logger ?? serverLogger(options.config.logging);
  const nodeId = options.config.server.nodeId ?? `${hostname()}-${process.pid}`;
  const lifecycle = new Lifecycle(logger as unknown as SpiLogger);
  const container = rootContainer.createChildContainer();
  const holder = { current: () => live, replace: (next: typeof live) => void (live = next) };

  const assembly = new ModuleAssembly<StratusConfig>({ root: options.config, container, configError: (message) => new ConfigError(message) });
  assembly.add(...serverModules(options, { logger, nodeId, lifecycle, live: holder }));
  try {
    await assembly.register();
  } catch (error) {
    // Whatever a module opened before another failed (a shared pool) must not keep the process alive.
    await lifecycle.shutdown('startup failed');
    throw error;
  }
  await lifecycle.start();

  const endpoints = resolve(container, HTTP_ENDPOINTS);
  const accountSync = resolve(container, ACCOUNT_SYNC_STATE);
  return {
    url: endpoints.url,
    port: endpoints.port,
    ...(endpoints.managementUrl ? { managementUrl: endpoints.managementUrl } : {}),
    container,
    host: resolve(container, PROVIDER_HOST),
    accounts: resolve(container, ACCOUNT_REGISTRY),
    reload: async () => ((await lifecycle.reload()) ? accountSync.last : undefined),
    shutdown: (reason) => lifecycle.shutdown(reason),
  };
}
