import { LIFECYCLE } from '@stratus/core';
import { loadConfig } from '../config/load-config.js';
import { watchConfigFile } from '../server/config-watcher.js';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG, PROVIDER_HOST, SERVER_LOGGER, type ServerOptionsView } from './module-tokens.js';

/** Sections a reload applies without a restart. */
const LIVE_SECTIONS = new Set(['security']);

/**
 * Reloads re-read the config file (a bad file is logged and the running configuration kept, which
 * stops the reload), warn about changes that need a restart, and replace the live config the other
 * modules read. Listed before every module with a reload hook, so they see the new config.
 */
export function configReloadModule(options: ServerOptionsView) {
  return defineServerModule({
    id: 'server.config-reload',
    deps: { lifecycle: LIFECYCLE, live: LIVE_CONFIG, logger: SERVER_LOGGER, host: PROVIDER_HOST },
    register({ deps }) {
      const { lifecycle, live, logger, host } = deps;
      const { configPath } = options;
      if (!configPath) return;
      lifecycle.onReload('config file', () => {
        try {
          const loaded = loadConfig({ path: configPath, ...(options.env ? { env: options.env } : {}) });
          const restartNeeded = changedOutsideAccounts(
            live.current().raw,
            loaded.raw,
            host.providers().map((provider) => provider.configKey),
          );
          if (restartNeeded.length > 0) logger.warn({ keys: restartNeeded }, 'config changes outside accounts take effect after a restart');
          live.replace({ config: loaded.config, raw: loaded.raw });
          return undefined;
        } catch (error) {
          logger.error({ err: error instanceof Error ? error.message : String(error) }, 'config reload failed; keeping the running configuration');
          return 'abort';
        }
      });
    },
  });
}

/**
 * With `dynamicConfig.enabled`, a change to the config file triggers a reload. Listed late, so the
 * watch starts once the server is up; the reload hook itself (above) is listed first, so a reload
 * reads the new file before anything re-syncs from it.
 */
export function configWatchModule(options: ServerOptionsView) {
  return defineServerModule({
    id: 'server.config-watch',
    enabled: (config) => options.configPath !== undefined && config.dynamicConfig.enabled,
    deps: { lifecycle: LIFECYCLE },
    register({ deps }) {
      const { lifecycle } = deps;
      lifecycle.onStart('config file watch', () => {
        const stop = watchConfigFile(options.configPath!, () => void lifecycle.reload());
        lifecycle.onShutdown('config file watch', stop, 'intake');
      });
    },
  });
}

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
