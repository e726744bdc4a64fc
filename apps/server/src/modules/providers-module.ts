import { LIFECYCLE, LOGGER, OnDemandRecordCleanupAgent, checkSpiVersion, loadProvider } from '@stratus/core';
import type { ProviderDefinition } from '@stratus/plugin-api';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_PROVIDERS, type StratusConfig } from '../config/config-schema.js';
import { unusedTopLevelKeys } from '../config/validate-config.js';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG, PROVIDER_HOST, SERVER_LOGGER } from './module-tokens.js';

const modulesDir = dirname(fileURLToPath(import.meta.url));

/** Where provider package names are resolved from: the config's directory, the working directory, the server package. */
export function resolveBases(configPath: string | undefined): string[] {
  const bases = [configPath ? dirname(resolvePath(configPath)) : undefined, process.cwd(), resolvePath(modulesDir, '..', '..')];
  return [...new Set(bases.filter((base): base is string => base !== undefined))];
}

/** Package names (or paths) of the providers to load: enabled built-ins, then `providers`. */
export function providerSpecs(config: StratusConfig, raw: Record<string, unknown>): string[] {
  const builtIns = Object.entries(BUILT_IN_PROVIDERS)
    .filter(([key]) => (raw[key] as { enabled?: unknown } | undefined)?.enabled === true)
    .map(([, pkg]) => pkg);
  return [...new Set([...builtIns, ...config.providers])];
}

export interface ProvidersModuleOptions {
  /** Providers already in hand (embedding, tests), registered before those named in config. */
  readonly providers?: readonly ProviderDefinition[];
  /** The config file; provider package names resolve from its directory first. */
  readonly configPath?: string;
}

/**
 * Loads the providers and registers each with the provider host: those handed in, then the enabled
 * built-ins and every package under `providers` — built-in and third-party packages take the same
 * path (`loadProvider`, SPI version check, `register(context)` with the provider's own config block).
 * A provider that fails to load stops startup with an error naming it. Then warns about config keys
 * nothing reads, and schedules core's own housekeeping agents.
 */
export function providersModule(options: ProvidersModuleOptions = {}) {
  return defineServerModule({
    id: 'providers',
    deps: { host: PROVIDER_HOST, live: LIVE_CONFIG, logger: SERVER_LOGGER, spiLogger: LOGGER, lifecycle: LIFECYCLE },
    async register({ root: config, deps }) {
      const { host, logger } = deps;
      const { raw } = deps.live.current();
      for (const definition of options.providers ?? []) {
        checkSpiVersion(definition.id, definition);
        await host.register(definition, raw[definition.configKey ?? definition.id]);
      }
      for (const spec of providerSpecs(config, raw)) {
        const definition = await loadProvider(spec, { resolveFrom: resolveBases(options.configPath) });
        const enabledBy = Object.entries(BUILT_IN_PROVIDERS).find(([, pkg]) => pkg === spec)?.[0];
        if (enabledBy && enabledBy !== (definition.configKey ?? definition.id)) {
          logger.warn(
            { provider: definition.id, enabledBy, configKey: definition.configKey ?? definition.id },
            'provider reads its accounts from another config key than the one that enabled it',
          );
        }
        // The host hands the block to the provider's own `parseConfig` first.
        await host.register(definition, raw[definition.configKey ?? definition.id], spec);
      }
      if (config.caching.writeEnabled) {
        host.scheduleAgents('core', [new OnDemandRecordCleanupAgent(host, { logger: deps.spiLogger.child({ agent: 'OnDemandRecordCleanupAgent' }) })]);
      }
      // The same check `stratus config validate` makes (config/validate-config.ts).
      const unused = unusedTopLevelKeys(
        raw,
        host.providers().map((provider) => provider.configKey),
      );
      if (unused.unknownKeys.length > 0) {
        logger.warn({ keys: unused.unknownKeys }, 'config keys not used by Stratus or any loaded provider (typo, or a provider that is not enabled?)');
      }
      if (unused.ignoredKeys.length > 0) logger.info({ keys: unused.ignoredKeys }, 'Clouddriver config keys that Stratus does not use');
    },
  });
}
