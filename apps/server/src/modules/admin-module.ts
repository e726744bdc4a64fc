import { LIFECYCLE } from '@stratus/core';
import { CACHE_NAMESPACE_ADMIN, CacheNamespaceAdmin } from '../admin/cache-namespace-admin.js';
import { STORAGE_ACCOUNT_NAMES } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG } from './module-tokens.js';

/** The admin pieces: cache namespace administration (its connections opened on first use) and the artifact storage account names. */
export const adminModule = defineServerModule({
  id: 'server.admin',
  deps: { lifecycle: LIFECYCLE, live: LIVE_CONFIG },
  register({ root: config, deps, bind }) {
    const { live } = deps;
    const cacheNamespaceAdmin = new CacheNamespaceAdmin(config, () => live.current().config.security.adminRoles);
    bind(CACHE_NAMESPACE_ADMIN, cacheNamespaceAdmin);
    deps.lifecycle.onShutdown('cache namespace admin', () => cacheNamespaceAdmin.close(), 'storage');
    bind(STORAGE_ACCOUNT_NAMES, () => live.current().config.storage.accounts.map((account) => account.name));
  },
});
