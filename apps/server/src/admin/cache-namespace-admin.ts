import { createToken } from '@stratus/plugin-api';
import type { StratusConfig } from '../config/config-schema.js';
import { openCacheAdmin, type CacheAdmin } from './cache-admin.js';

/**
 * The `/admin/db/*` endpoints' access to the configured cache store. Its connection is opened on
 * first use (most servers never call these endpoints) and closed at shutdown.
 */
export class CacheNamespaceAdmin {
  #admin: CacheAdmin | undefined;

  constructor(
    private readonly config: StratusConfig,
    /** Roles allowed to call the endpoints (`security.adminRoles`); empty = anyone who reaches them. */
    readonly adminRoles: () => readonly string[],
    private readonly open: (config: StratusConfig) => CacheAdmin = openCacheAdmin,
  ) {}

  /** The opened admin; throws a ConfigError when no shared cache store is configured. */
  get(): CacheAdmin {
    this.#admin ??= this.open(this.config);
    return this.#admin;
  }

  async close(): Promise<void> {
    await this.#admin?.close();
    this.#admin = undefined;
  }
}

export const CACHE_NAMESPACE_ADMIN = createToken<CacheNamespaceAdmin>('server.cache-namespace-admin');
