import type { Artifact, ArtifactAccountTypeDefinition, ArtifactContent } from '@stratus/plugin-api';
import { ArtifactAccountRepository } from '../artifact-account-repository.js';
import { ArtifactDownloader } from '../artifact-downloader.js';
import { artifactSettings } from '../artifact-settings.js';
import { ArtifactStore, MemoryStoredArtifactBackend } from '../artifact-store.js';
import { BUILT_IN_ARTIFACT_TYPES } from '../built-in-artifact-types.js';

/** The repository, store and downloader over an `artifacts:` block, as the server builds them. */
export async function artifactHarness(block: Record<string, unknown>, types: readonly ArtifactAccountTypeDefinition[] = BUILT_IN_ARTIFACT_TYPES) {
  const settings = artifactSettings(block);
  const repository = new ArtifactAccountRepository(types, settings);
  const problems = await repository.load(block);
  const store = new ArtifactStore(new MemoryStoredArtifactBackend());
  const downloader = new ArtifactDownloader(repository, store, settings.maxDownloadBytes);
  return {
    repository,
    problems,
    store,
    downloader,
    /** Downloads and collects the bytes. */
    fetch: async (artifact: Artifact) => collect(await downloader.download(artifact)),
    account: (name: string, type: string) => repository.find(name, type).account,
  };
}

export async function collect(content: ArtifactContent): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Loopback must be allowed explicitly: tests reach fakes on 127.0.0.1. */
export const LOOPBACK_NETWORK = { allowedHosts: ['127.0.0.1'] };
