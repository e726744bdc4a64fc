import { ArtifactError, type Artifact, type ArtifactContent } from '@stratus/plugin-api';
import { Readable } from 'node:stream';
import { describeArtifact } from './artifact-description.js';

/** The error for an upstream answer: 404 stays 404, refused credentials and anything else are 502s. */
export function upstreamError(account: string, artifact: Artifact, status: number, host: string): ArtifactError {
  const what = describeArtifact(artifact);
  if (status === 404) return new ArtifactError(404, `${what} was not found by artifact account ${account} (${host} answered 404)`);
  if (status === 401 || status === 403) {
    return new ArtifactError(502, `${host} refused the credentials of artifact account ${account} (${status}) fetching ${what}`);
  }
  return new ArtifactError(502, `${host} answered ${status} to artifact account ${account} fetching ${what}`);
}

/** The body of a successful response as artifact content; throws {@link upstreamError} otherwise. */
export async function contentOf(response: Response, account: string, artifact: Artifact): Promise<ArtifactContent> {
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw upstreamError(account, artifact, response.status, hostOf(response.url));
  }
  if (!response.body) return Readable.from([]);
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
}

/** Reads a successful response as text, or throws {@link upstreamError}. */
export async function textOf(response: Response, account: string, artifact: Artifact): Promise<string> {
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw upstreamError(account, artifact, response.status, hostOf(response.url));
  }
  return response.text();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the upstream';
  }
}

/** Parses an artifact's URL reference; 400 naming the artifact when it is not an absolute URL. */
export function referenceUrl(artifact: Artifact, account: string): URL {
  try {
    return new URL(artifact.reference ?? '');
  } catch {
    throw new ArtifactError(400, `artifact account ${account}: the reference of ${describeArtifact(artifact)} is not an absolute URL`);
  }
}
