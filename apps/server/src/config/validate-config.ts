import {
  AccountRegistry,
  definitionsFromConfig,
  KeyParserRegistry,
  loadProvider,
  MapReadModelRegistry,
  MemoryCacheStoreFactory,
  ProviderHost,
  ProviderRouteRegistry,
  SingleNodeScheduler,
} from '@stratus/core';
import type { LoadedConfig } from './load-config.js';
import { configSchema } from './config-schema.js';
import { CLOUDDRIVER_KEYS_NOT_USED } from './clouddriver-keys.js';
import { STORAGE_ADAPTERS } from '../modules/storage-adapter-modules.js';

/** What a config file holds that Stratus will not use, or cannot load. */
export interface ConfigReport {
  /** Problems that stop startup or leave an account unloaded (`path: message`). */
  readonly errors: string[];
  /** Top-level keys neither Stratus nor a loaded provider reads, and no Clouddriver key either: likely typos. */
  readonly unknownKeys: string[];
  /** Clouddriver keys Stratus does not use (Spring, Eureka, other services' clients, …). */
  readonly ignoredKeys: string[];
  /** The accounts that parsed, by config key. */
  readonly accounts: Record<string, string[]>;
}

export interface ValidateConfigOptions {
  /** Package names (or paths) of the providers the config selects, as startup loads them. */
  readonly providerSpecs: readonly string[];
  /** Where provider packages resolve from (the config file's folder first). */
  readonly resolveFrom: readonly string[];
}

const camelCase = (key: string): string => key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Top-level keys that are not Stratus's own: the ones no provider reads (unknown, probably a typo)
 * and the Clouddriver keys Stratus leaves alone. Startup logs these; `config validate` prints them.
 */
export function unusedTopLevelKeys(raw: Record<string, unknown>, providerConfigKeys: readonly string[]): Pick<ConfigReport, 'unknownKeys' | 'ignoredKeys'> {
  const own = new Set([...Object.keys(configSchema.shape), ...providerConfigKeys]);
  const unknownKeys: string[] = [];
  const ignoredKeys: string[] = [];
  for (const key of Object.keys(raw)) {
    if (own.has(key)) continue;
    (CLOUDDRIVER_KEYS_NOT_USED.has(camelCase(key)) ? ignoredKeys : unknownKeys).push(key);
  }
  return { unknownKeys, ignoredKeys };
}

/**
 * Validates a loaded config the way startup would: the storage blocks the adapters check once
 * selected, every selected provider loaded and registered, and every configured account parsed and
 * its agents built by the same account registry startup uses, on a scratch host whose scheduler never
 * starts (no cloud is contacted by the registry itself; a provider's parse may read its files).
 */
export async function validateConfig(loaded: LoadedConfig, options: ValidateConfigOptions): Promise<ConfigReport> {
  const { config, raw } = loaded;
  const errors: string[] = [];
  // Each store checks its own enabled section with its package's schema.
  for (const adapter of STORAGE_ADAPTERS) if ('checkConfig' in adapter) errors.push(...adapter.checkConfig(config));

  const host = new ProviderHost({
    cacheStoreFactory: new MemoryCacheStoreFactory(),
    scheduler: new SingleNodeScheduler(),
    readModels: new MapReadModelRegistry(),
    keyParsers: new KeyParserRegistry(),
    routes: new ProviderRouteRegistry(),
    schedulingEnabled: false,
  });
  const providerConfigKeys: string[] = [];
  for (const spec of options.providerSpecs) {
    try {
      const definition = await loadProvider(spec, { resolveFrom: options.resolveFrom });
      const configKey = definition.configKey ?? definition.id;
      providerConfigKeys.push(configKey);
      await host.register(definition, raw[configKey]);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }

  const registry = new AccountRegistry(host);
  const accounts: Record<string, string[]> = {};
  try {
    const types = host.allAccountTypes();
    const report = await registry.sync(definitionsFromConfig(raw, types));
    for (const problem of report.problems) {
      const configKey = types.find((type) => type.definition.cloudProvider === problem.cloudProvider)?.configKey ?? problem.cloudProvider;
      errors.push(`${configKey}.accounts[${problem.name || '?'}]: ${problem.error}`);
    }
    for (const credentials of registry.all()) {
      const configKey = types.find((type) => type.definition.cloudProvider === registry.definitionOf(credentials.name)?.cloudProvider)?.configKey ?? '?';
      (accounts[configKey] ??= []).push(credentials.name);
    }
  } finally {
    await registry.clear();
  }
  return { errors, accounts, ...unusedTopLevelKeys(raw, providerConfigKeys) };
}
