import { ArtifactError, type Artifact, type ArtifactContent, type ArtifactDownloadOptions, type ArtifactDownloadService } from '@stratus/plugin-api';
import { describeArtifact } from './artifact-description.js';
import type { ArtifactAccountRepository } from './artifact-account-repository.js';
import type { ArtifactStore } from './artifact-store.js';

/**
 * Clouddriver's `ArtifactDownloader`: resolves stored artifacts, finds the account named by
 * `artifactAccount` that handles the artifact's type, downloads through it and caps the size.
 * Every failure is an {@link ArtifactError} naming the account and the artifact.
 */
export class ArtifactDownloader implements ArtifactDownloadService {
  constructor(
    private readonly accounts: ArtifactAccountRepository,
    private readonly store: ArtifactStore | undefined,
    private readonly maxDownloadBytes: number,
  ) {}

  async download(input: Artifact, options: ArtifactDownloadOptions = {}): Promise<ArtifactContent> {
    if (typeof input !== 'object' || input === null) throw new ArtifactError(400, 'the artifact must be a JSON object');
    const artifact = this.store ? await this.store.resolve(input) : input;
    const { account } = this.accounts.find(artifact.artifactAccount, artifact.type);
    if (options.canUseAccount && !options.canUseAccount(account.name)) {
      throw new ArtifactError(404, `Credentials '${account.name}' supporting artifact type '${artifact.type}' cannot be found`);
    }
    const signal = options.signal ?? new AbortController().signal;
    let content: ArtifactContent;
    try {
      content = await account.download(artifact, signal);
    } catch (error) {
      throw asArtifactError(error, account.name, artifact);
    }
    return capped(content, this.maxDownloadBytes, account.name, artifact);
  }
}

function asArtifactError(error: unknown, account: string, artifact: Artifact): unknown {
  if (error instanceof ArtifactError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ArtifactError(502, `artifact account ${account} failed to fetch ${describeArtifact(artifact)}: ${message.slice(0, 300)}`, { cause: error });
}

/** Passes the content through, failing with 413 once it exceeds `max` bytes. */
async function* capped(content: ArtifactContent, max: number, account: string, artifact: Artifact): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of content) {
    total += chunk.byteLength;
    if (total > max) {
      throw new ArtifactError(413, `${describeArtifact(artifact)} from artifact account ${account} is larger than artifacts.maxDownloadBytes (${max} bytes)`);
    }
    yield chunk;
  }
}
