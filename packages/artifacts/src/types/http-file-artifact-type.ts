import type { ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { accountName, basicAuthHeader } from '../account-fields.js';
import { contentOf, referenceUrl } from '../upstream.js';

/** Clouddriver's account added when no http account uses authentication. */
export const NO_AUTH_HTTP_ACCOUNT = 'no-auth-http-account';

/** `http/file`: GET the reference URL, with basic auth when the account has it (`artifacts.http`). */
export const httpFileArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'http',
  credentialsType: 'artifacts-http',
  defaultAccounts: (configured, enabled) => {
    const usesAuth = configured.some((raw) => raw.username || raw.password || raw.usernamePasswordFile);
    return enabled && !usesAuth && !configured.some((raw) => raw.name === NO_AUTH_HTTP_ACCOUNT) ? [{ name: NO_AUTH_HTTP_ACCOUNT }] : [];
  },
  parse(raw, context) {
    const name = accountName(raw);
    const authorization = basicAuthHeader(raw, context);
    return {
      name,
      types: ['http/file'],
      async download(artifact, signal) {
        const url = referenceUrl(artifact, name);
        const response = await context.fetch(url, { headers: authorization ? { authorization } : {}, signal });
        return contentOf(response, name, artifact);
      },
    };
  },
};
