import type { AccountRegistry, AccountSyncReport, ProviderHost, StorageConcern } from '@stratus/core';
import { createToken } from '@stratus/plugin-api';
import type { Logger } from 'pino';
import type { ArtifactTypeCollector } from '../artifacts/artifact-type-collector.js';
import type { StratusConfig } from '../config/config-schema.js';

/**
 * Tokens the server's own modules share (the core tokens are in `@stratus/core`). Everything a
 * module needs from another module goes through one of these, never through a closure in
 * `startServer`.
 */

/** The configuration in force: a reload replaces it, so read it per use, never once at startup. */
export interface LiveConfig {
  readonly config: StratusConfig;
  /** The whole document as written (provider blocks as they are). */
  readonly raw: Record<string, unknown>;
}
export interface LiveConfigHolder {
  current(): LiveConfig;
  replace(next: LiveConfig): void;
}
export const LIVE_CONFIG = createToken<LiveConfigHolder>('server.live-config');

/** The pino logger behind core's `LOGGER` (server code logs with pino's signature). */
export const SERVER_LOGGER = createToken<Logger>('server.logger');
export const PROVIDER_HOST = createToken<ProviderHost>('server.provider-host');
export const ACCOUNT_REGISTRY = createToken<AccountRegistry>('server.account-registry');
/** Artifact account types: the built-in ones plus what providers register while they load. */
export const ARTIFACT_TYPES = createToken<ArtifactTypeCollector>('server.artifact-types');
/** Which adapter serves each storage concern, for the startup log. */
export const STORAGE_SUMMARY = createToken<Readonly<Record<StorageConcern, string>>>('server.storage-summary');

/** The last account sync a reload ran (what `RunningServer.reload()` returns). */
export interface AccountSyncState {
  last?: AccountSyncReport;
}
export const ACCOUNT_SYNC_STATE = createToken<AccountSyncState>('server.account-sync-state');

/** Where the server listens, known once the HTTP module started. */
export interface HttpEndpoints {
  url: string;
  port: number;
  managementUrl?: string;
}
export const HTTP_ENDPOINTS = createToken<HttpEndpoints>('server.http-endpoints');

/** Options of `startServer` that modules read (what the caller handed in, not config). */
export interface ServerOptionsView {
  readonly configPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}
