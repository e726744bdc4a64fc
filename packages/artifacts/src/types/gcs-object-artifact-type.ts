import { Storage } from '@google-cloud/storage';
import { ArtifactError, type Artifact, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import type { Readable } from 'node:stream';
import { accountName, optionalString } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';
import { firstChunk } from '../first-chunk.js';

/**
 * `gcs/object` (`artifacts.gcs`): the reference is `gs://<bucket>/<object>[#<generation>]`. The
 * account's `jsonPath` names a service-account key file (else Application Default Credentials);
 * `apiEndpoint` (a Stratus addition) points the client at another endpoint, e.g. an emulator.
 */
export const gcsObjectArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 'gcs',
  credentialsType: 'artifacts-gcs',
  parse(raw) {
    const name = accountName(raw);
    const jsonPath = optionalString(raw, 'jsonPath');
    const apiEndpoint = optionalString(raw, 'apiEndpoint');
    const project = optionalString(raw, 'project');
    const storage = new Storage({
      ...(jsonPath ? { keyFilename: jsonPath } : {}),
      ...(apiEndpoint ? { apiEndpoint, useAuthWithCustomEndpoint: jsonPath !== undefined } : {}),
      ...(project ? { projectId: project } : {}),
      // Retries transient failures only (a reset keep-alive connection, 5xx, 429); never 4xx.
      retryOptions: { autoRetry: true, maxRetries: 2 },
    });
    return {
      name,
      types: ['gcs/object'],
      async download(artifact, signal) {
        const { bucket, object, generation } = parseReference(artifact, name);
        const stream: Readable = storage
          .bucket(bucket)
          .file(object, generation === undefined ? {} : { generation })
          .createReadStream({ validation: false });
        const onAbort = () => stream.destroy(signal.reason as Error);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          return await firstChunk(stream);
        } catch (error) {
          throw gcsError(error, name, artifact);
        }
      },
    };
  },
};

function parseReference(artifact: Artifact, account: string): { bucket: string; object: string; generation?: number } {
  const reference = (artifact.reference ?? '').replace(/^gs:\/\//, '');
  const slash = reference.indexOf('/');
  if (slash <= 0 || slash === reference.length - 1) {
    throw new ArtifactError(400, `artifact account ${account}: GCS references must be gs://<bucket>/<object>, got ${describeArtifact(artifact)}`);
  }
  let object = reference.slice(slash + 1);
  const pound = object.lastIndexOf('#');
  let generation: number | undefined;
  if (pound >= 0) {
    generation = Number(object.slice(pound + 1));
    if (!Number.isSafeInteger(generation)) throw new ArtifactError(400, `artifact account ${account}: bad generation in ${describeArtifact(artifact)}`);
    object = object.slice(0, pound);
  }
  return { bucket: reference.slice(0, slash), object, ...(generation === undefined ? {} : { generation }) };
}

function gcsError(error: unknown, account: string, artifact: Artifact): unknown {
  if (error instanceof ArtifactError || (error instanceof Error && error.name === 'AbortError')) return error;
  const what = describeArtifact(artifact);
  const code = (error as { code?: unknown }).code;
  if (code === 404) return new ArtifactError(404, `${what} was not found by artifact account ${account} (GCS 404)`);
  if (code === 401 || code === 403) return new ArtifactError(502, `GCS refused the credentials of artifact account ${account} (${code}) fetching ${what}`);
  return new ArtifactError(
    502,
    `GCS failed for artifact account ${account} fetching ${what}: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
  );
}
