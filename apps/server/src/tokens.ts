import { createToken } from '@stratus/plugin-api';
import type { ApplicationGenerations, LoadedProviderInfo } from '@stratus/core';
import type { ServerHealth } from './health/server-health.js';
import type { PromMetricsRegistry } from './metrics/prom-metrics-registry.js';
import type { IdentityTrust } from './http/caller-access-middleware.js';

/** Server-only services (core services use the tokens of `@stratus/core`). */
export const SERVER_HEALTH = createToken<ServerHealth>('server.health');
/** The prom-client backed registry behind core's `METRICS`, for `GET /metrics`. */
export const PROM_METRICS = createToken<PromMetricsRegistry>('server.prom-metrics');

/** What `GET /` says about this server. */
export interface ServerInfo {
  /** The built-in demo cloud is running (`demo.enabled`). */
  readonly demo: boolean;
  readonly nodeId: string;
}
export const SERVER_INFO = createToken<ServerInfo>('server.info');
/** The provider packages the server loaded (id, version, SPI version, where from), for `GET /installedPlugins`. */
export const LOADED_PROVIDERS = createToken<() => readonly LoadedProviderInfo[]>('server.loaded-providers');
/** Names of the configured artifact storage accounts (`storage.accounts[].name`), for `GET /storage`. */
export const STORAGE_ACCOUNT_NAMES = createToken<() => readonly string[]>('server.storage-account-names');
/** Which requests may name their caller (`security.identity`); absent = every request (behind Gate only). */
export const IDENTITY_TRUST = createToken<IdentityTrust>('server.identity-trust');
/** The application generations this server's cache store moves (and shares with replicas), for the HTTP view cache. */
export const VIEW_GENERATIONS = createToken<ApplicationGenerations>('server.view-generations');
