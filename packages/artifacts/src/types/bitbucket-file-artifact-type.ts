import type { ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { accountName, basicAuthHeader, tokenOf } from '../account-fields.js';
import { contentOf, referenceUrl } from '../upstream.js';

/**
 * `bitbucket/file` (`artifacts.bitbucket`): the reference is a raw file URL
 * (`https://api.bitbucket.org/2.0/repositories/{workspace}/{repo}/src/{commit}/{path}`), fetched
 * as is. Auth: `token`/`tokenFile` as a bearer token, else basic auth.
 */
export const bitbucketFileArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'bitbucket',
  credentialsType: 'artifacts-bitbucket',
  parse(raw, context) {
    const name = accountName(raw);
    const token = tokenOf(raw, context);
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : {};
    const basic = token ? undefined : basicAuthHeader(raw, context);
    if (basic) headers.authorization = basic;
    return {
      name,
      types: ['bitbucket/file'],
      async download(artifact, signal) {
        return contentOf(await context.fetch(referenceUrl(artifact, name), { headers, signal }), name, artifact);
      },
    };
  },
};
