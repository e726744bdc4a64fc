import type { Artifact, ArtifactContent } from './artifact.js';
import { createToken } from './token.js';

/** Options of one {@link ArtifactDownloadService.download}. */
export interface ArtifactDownloadOptions {
  /** Aborts the download. */
  readonly signal?: AbortSignal;
  /** Only accounts this predicate allows may be used (the caller's READ permission); all when absent. */
  readonly canUseAccount?: (account: string) => boolean;
}

/**
 * Fetches artifacts through the configured artifact accounts, as `PUT /artifacts/fetch` does:
 * the account named by `artifactAccount` must handle the artifact's `type`; stored artifacts
 * (`remote/base64` with a `ref://` reference) are read from the artifact store. The content is
 * capped at `artifacts.maxDownloadBytes`. Failures are {@link ArtifactError}s.
 */
export interface ArtifactDownloadService {
  /** Resolves once the upstream answered; the content then streams. */
  download(artifact: Artifact, options?: ArtifactDownloadOptions): Promise<ArtifactContent>;
}

/** The DI token of the server's {@link ArtifactDownloadService}. */
export const ARTIFACT_DOWNLOAD_SERVICE = createToken<ArtifactDownloadService>('artifacts.download-service');
