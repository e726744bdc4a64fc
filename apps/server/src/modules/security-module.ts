import { ACCESS_RESOLVER, ACCOUNT_LOOKUP, FiatAccessResolver, LOGGER, PermissionAccessResolver } from '@stratus/core';
import { IDENTITY_TRUST } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { LIVE_CONFIG } from './module-tokens.js';

/**
 * Who callers are and what they may do: Fiat when `services.fiat` is on, otherwise the accounts'
 * own permissions and `security`; which requests may name their caller (`security.identity`).
 * Both read `security` per request, so a reload applies at once.
 */
export const securityModule = defineServerModule({
  id: 'core.security',
  deps: { accounts: ACCOUNT_LOOKUP, logger: LOGGER, live: LIVE_CONFIG },
  register({ root: config, deps, bind, bindFactory }) {
    const { live } = deps;
    const fiat = config.services.fiat;
    bind(
      ACCESS_RESOLVER,
      fiat.enabled && fiat.baseUrl
        ? new FiatAccessResolver({
            baseUrl: fiat.baseUrl,
            cacheTtlMs: fiat.cacheTtlSeconds * 1000,
            timeoutMs: fiat.timeoutSeconds * 1000,
            logger: deps.logger.child({ component: 'fiat' }),
          })
        : new PermissionAccessResolver(deps.accounts, () => live.current().config.security),
    );
    bindFactory(IDENTITY_TRUST, () => {
      const { security } = live.current().config;
      return {
        trustedProxies: security.identity.trustedProxies,
        sharedSecretHeader: security.identity.sharedSecretHeader,
        ...(security.identity.sharedSecret ? { sharedSecret: security.identity.sharedSecret } : {}),
        ...(security.rolesHeader ? { rolesHeader: security.rolesHeader } : {}),
        ...(live.current().config.server.ssl.enabled && live.current().config.server.ssl.clientAuth !== 'none' ? { clientCertificate: true } : {}),
      };
    });
  },
});
