import { ACCOUNT_DEFINITION_STORE, ACCOUNT_LOOKUP, AccountRegistry, LIFECYCLE, LOGGER } from '@stratus/core';
import { ACCOUNT_SERVICE, AccountService } from '../accounts/account-service.js';
import { SERVER_HEALTH } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { ACCOUNT_REGISTRY, ACCOUNT_SYNC_STATE, LIVE_CONFIG, PROVIDER_HOST, SERVER_LOGGER, STORAGE_SUMMARY, type AccountSyncState } from './module-tokens.js';

/**
 * The account registry and the account service. At start it syncs accounts from config and the
 * account store (scheduling their agents), re-syncs on every reload and, with
 * `account.storage.enabled`, polls the store for other replicas' changes.
 */
export const accountsModule = defineServerModule({
  id: 'core.accounts',
  deps: {
    host: PROVIDER_HOST,
    store: ACCOUNT_DEFINITION_STORE,
    logger: LOGGER,
    serverLogger: SERVER_LOGGER,
    health: SERVER_HEALTH,
    lifecycle: LIFECYCLE,
    live: LIVE_CONFIG,
    storage: STORAGE_SUMMARY,
  },
  register({ root: config, deps, bind }) {
    const { host, lifecycle, serverLogger: logger, live } = deps;
    const accounts = new AccountRegistry(host, { logger: deps.logger.child({ component: 'accounts' }) });
    bind(ACCOUNT_REGISTRY, accounts);
    bind(ACCOUNT_LOOKUP, accounts);
    const accountService = new AccountService({ registry: accounts, host, store: deps.store, config: () => live.current() });
    bind(ACCOUNT_SERVICE, accountService);
    const state: AccountSyncState = {};
    bind(ACCOUNT_SYNC_STATE, state);
    // Like Clouddriver's AccountHealthIndicator: always UP (a bad account must not take the replica
    // out of rotation), with the accounts that failed to load as details.
    deps.health.addCheck({
      name: 'accounts',
      check: async () => ({
        loaded: accounts.all().length,
        problems: accounts.problems().map((problem) => ({ name: problem.name, cloudProvider: problem.cloudProvider, error: problem.error })),
      }),
    });

    lifecycle.onStart('account sync', async () => {
      const report = await accountService.sync();
      logger.info(
        { accounts: report.added.length, problems: report.problems.length, storage: deps.storage, providers: host.providers().map((p) => p.id) },
        'accounts loaded',
      );
    });
    if (config.account.storage.enabled) {
      lifecycle.onStart('stored account polling', () => {
        // Other replicas may change stored accounts; re-reading is cheap when nothing changed.
        const timer = setInterval(() => {
          accountService.sync().catch((error: unknown) => logger.warn({ err: error }, 'polling stored accounts failed'));
        }, config.account.storage.pollIntervalSeconds * 1000);
        timer.unref();
        lifecycle.onShutdown('stored account polling', () => clearInterval(timer), 'intake');
      });
    }
    lifecycle.onReload('account sync', async () => {
      const result = await accountService.sync();
      state.last = result;
      logger.info({ added: result.added, updated: result.updated, removed: result.removed, problems: result.problems.length }, 'accounts reloaded');
    });
    lifecycle.onShutdown('accounts', () => accounts.clear(), 'accounts');
  },
});
