import { ACCESS_RESOLVER, ACCOUNT_LOOKUP, FiatAccessResolver, LOGGER, PermissionAccessResolver } from '@stratus/core';
import type { StratusConfig } from '../config/config-schema.js';
import type { IdentityTrust } from '../http/caller-access-middleware.js';
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
    // Read on every request: built once per configuration in force (a reload gives a new one).
    let trust: { readonly for: StratusConfig; readonly value: IdentityTrust } | undefined;
    bindFactory(IDENTITY_TRUST, () => {
      const { config: current } = live.current();
      if (trust?.for === current) return trust.value;
      const { security } = current;
      const value: IdentityTrust = {
        trustedProxies: security.identity.trustedProxies,
        sharedSecretHeader: security.identity.sharedSecretHeader,
        ...(security.identity.sharedSecret ? { sharedSecret: security.identity.sharedSecret } : {}),
        ...(security.rolesHeader ? { rolesHeader: security.rolesHeader } : {}),
        ...(current.server.ssl.enabled && current.server.ssl.clientAuth !== 'none' ? { clientCertificate: true } : {}),
      };
      trust = { for: current, value };
      return value;
    });
  },
});
