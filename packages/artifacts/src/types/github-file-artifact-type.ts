import { ArtifactError, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { accountName, basicAuthHeader, optionalString, tokenOf } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';
import { contentOf, referenceUrl, textOf } from '../upstream.js';

/**
 * `github/file` (`artifacts.github`): the reference is a contents API URL
 * (`https://api.github.com/repos/{owner}/{repo}/contents/{path}`), the version a ref (default
 * `master`). Like Clouddriver: with `useContentAPI` the file is read raw from the contents API
 * (`Accept: application/vnd.github.<githubAPIVersion>.raw`); otherwise the contents metadata names
 * a `download_url`, fetched with the same credentials. Auth: `token`/`tokenFile` (`token …`), else
 * basic auth.
 */
export const githubFileArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'github',
  credentialsType: 'artifacts-github',
  parse(raw, context) {
    const name = accountName(raw);
    const token = tokenOf(raw, context);
    const authorization = token ? `token ${token}` : basicAuthHeader(raw, context);
    const useContentApi = raw.useContentAPI === true;
    const apiVersion = optionalString(raw, 'githubAPIVersion') ?? 'v3';
    const headers: Record<string, string> = { ...(authorization ? { authorization } : {}), 'user-agent': 'stratus-artifacts' };
    return {
      name,
      types: ['github/file'],
      async download(artifact, signal) {
        const url = referenceUrl(artifact, name);
        url.searchParams.set('ref', artifact.version || 'master');
        if (useContentApi) {
          const response = await context.fetch(url, { headers: { ...headers, accept: `application/vnd.github.${apiVersion}.raw` }, signal });
          return contentOf(response, name, artifact);
        }
        const metadata = await textOf(await context.fetch(url, { headers: { ...headers, accept: 'application/json' }, signal }), name, artifact);
        let downloadUrl: unknown;
        try {
          downloadUrl = (JSON.parse(metadata) as { download_url?: unknown }).download_url;
        } catch {
          downloadUrl = undefined;
        }
        if (typeof downloadUrl !== 'string' || downloadUrl === '') {
          throw new ArtifactError(
            502,
            `GitHub gave no download_url for ${describeArtifact(artifact)} (artifact account ${name}); is it a file, and are the account's credentials right?`,
          );
        }
        return contentOf(await context.fetch(downloadUrl, { headers, signal }), name, artifact);
      },
    };
  },
};
