import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ArtifactError, type Artifact, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import type { Readable } from 'node:stream';
import { accountName, optionalString } from '../account-fields.js';
import { describeArtifact } from '../artifact-description.js';

const REFUSED_CREDENTIALS = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'AuthorizationHeaderMalformed',
]);

/**
 * `s3/object` (`artifacts.s3`): the reference is `s3://<bucket>/<key>`. The account's client uses
 * `apiEndpoint` (path-style, e.g. MinIO) with `apiRegion`, else `region`; static keys
 * `awsAccessKeyId`/`awsSecretAccessKey`, else the default AWS credential chain.
 */
export const s3ObjectArtifactType: ArtifactAccountTypeDefinition = {
  configKey: 's3',
  credentialsType: 'artifacts-s3',
  parse(raw) {
    const name = accountName(raw);
    const apiEndpoint = optionalString(raw, 'apiEndpoint');
    const region = (apiEndpoint ? optionalString(raw, 'apiRegion') : undefined) ?? optionalString(raw, 'region') ?? 'us-east-1';
    const accessKeyId = optionalString(raw, 'awsAccessKeyId');
    const secretAccessKey = optionalString(raw, 'awsSecretAccessKey');
    const client = new S3Client({
      region,
      maxAttempts: 2,
      ...(apiEndpoint ? { endpoint: apiEndpoint, forcePathStyle: true } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    });
    return {
      name,
      types: ['s3/object'],
      async download(artifact, signal) {
        const { bucket, key } = parseReference(artifact, name);
        try {
          const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
          return answer.Body as Readable;
        } catch (error) {
          throw s3Error(error, name, artifact);
        }
      },
      dispose: () => client.destroy(),
    };
  },
};

function parseReference(artifact: Artifact, account: string): { bucket: string; key: string } {
  const reference = (artifact.reference ?? '').replace(/^s3:\/\//, '');
  const slash = reference.indexOf('/');
  if (slash <= 0 || slash === reference.length - 1) {
    throw new ArtifactError(400, `artifact account ${account}: S3 references must be s3://<bucket>/<key>, got ${describeArtifact(artifact)}`);
  }
  return { bucket: reference.slice(0, slash), key: reference.slice(slash + 1) };
}

function s3Error(error: unknown, account: string, artifact: Artifact): unknown {
  if (error instanceof Error && error.name === 'AbortError') return error;
  const what = describeArtifact(artifact);
  if (error instanceof S3ServiceException) {
    if (error.name === 'NoSuchKey' || error.name === 'NoSuchBucket' || error.$metadata.httpStatusCode === 404) {
      return new ArtifactError(404, `${what} was not found by artifact account ${account} (S3 ${error.name})`);
    }
    if (REFUSED_CREDENTIALS.has(error.name) || error.$metadata.httpStatusCode === 403) {
      return new ArtifactError(502, `S3 refused the credentials of artifact account ${account} (${error.name}) fetching ${what}`);
    }
    return new ArtifactError(502, `S3 answered ${error.name} to artifact account ${account} fetching ${what}`);
  }
  return new ArtifactError(502, `artifact account ${account} could not reach S3 fetching ${what}: ${error instanceof Error ? error.message : String(error)}`);
}
