import type { StoredArtifactBackend } from '@stratus/artifacts';
import { cacheData, type ProviderCache } from '@stratus/plugin-api';

/** The cache type stored artifacts are kept under, in the `artifacts` cache namespace. */
export const STORED_ARTIFACT_TYPE = 'storedArtifacts';

/**
 * Keeps stored artifacts in the configured cache store (memory, Redis or SQL) as items of the
 * `artifacts` namespace, so every replica reads what any of them stored.
 */
export class CacheStoredArtifactBackend implements StoredArtifactBackend {
  constructor(private readonly cache: ProviderCache) {}

  private key(application: string, hash: string): string {
    return `artifacts:${STORED_ARTIFACT_TYPE}:${application}:${hash}`;
  }

  async get(application: string, hash: string): Promise<string | undefined> {
    const item = await this.cache.get(STORED_ARTIFACT_TYPE, this.key(application, hash));
    const reference = item?.attributes.reference;
    return typeof reference === 'string' ? reference : undefined;
  }

  async put(application: string, hash: string, reference: string): Promise<void> {
    await this.cache.putCacheData(STORED_ARTIFACT_TYPE, cacheData(this.key(application, hash), { application, hash, reference }));
  }
}
