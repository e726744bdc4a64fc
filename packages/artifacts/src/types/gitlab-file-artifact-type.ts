import type { ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { accountName, tokenOf } from '../account-fields.js';
import { contentOf, referenceUrl } from '../upstream.js';

/**
 * `gitlab/file` (`artifacts.gitlab`): the reference is a repository files API URL
 * (`https://gitlab.com/api/v4/projects/{id}/repository/files/{path}/raw`), fetched with
 * `?ref=<version>` (default `master`) and the account's `Private-Token`.
 */
export const gitlabFileArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'gitlab',
  credentialsType: 'artifacts-gitlab',
  parse(raw, context) {
    const name = accountName(raw);
    const token = tokenOf(raw, context);
    return {
      name,
      types: ['gitlab/file'],
      async download(artifact, signal) {
        const url = referenceUrl(artifact, name);
        url.searchParams.set('ref', artifact.version || 'master');
        const response = await context.fetch(url, { headers: token ? { 'private-token': token } : {}, signal });
        return contentOf(response, name, artifact);
      },
    };
  },
};
