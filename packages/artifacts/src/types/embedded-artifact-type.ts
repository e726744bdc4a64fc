import { ArtifactError, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { Readable } from 'node:stream';
import { accountName } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';

/** Clouddriver's always-present embedded account. */
export const EMBEDDED_ACCOUNT_NAME = 'embedded-artifact';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

/**
 * `embedded/base64` (and `remote/base64` once resolved from the artifact store): the reference is
 * the content, base64-encoded. Always on, as Clouddriver's `embedded-artifact` account; it handles
 * every `embedded/*` and `remote/*` type like Clouddriver's.
 */
export const embeddedArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'embedded',
  credentialsType: 'artifacts-embedded',
  defaultAccounts: () => [{ name: EMBEDDED_ACCOUNT_NAME }],
  parse(raw) {
    const name = accountName(raw);
    return {
      name,
      types: ['embedded/base64', 'remote/base64'],
      handlesType: (type) => type.startsWith('embedded/') || type.startsWith('remote/'),
      async download(artifact) {
        if (artifact.type !== 'embedded/base64' && artifact.type !== 'remote/base64') {
          throw new ArtifactError(400, `artifact account ${name} does not handle the embedded type ${artifact.type}`);
        }
        const reference = artifact.reference ?? '';
        if (!BASE64.test(reference)) throw new ArtifactError(400, `the reference of ${describeArtifact(artifact)} is not base64`);
        return Readable.from([Buffer.from(reference, 'base64')]);
      },
    };
  },
};
