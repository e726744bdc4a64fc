import { createToken } from '@stratus/plugin-api';
import type { ArtifactAccountRepository } from './artifact-account-repository.js';
import type { ArtifactStore } from './artifact-store.js';

/** The server's artifact accounts (Clouddriver's `ArtifactCredentialsRepository`). */
export const ARTIFACT_ACCOUNT_REPOSITORY = createToken<ArtifactAccountRepository>('artifacts.account-repository');
/** The content-addressed store of `remote/base64` artifacts, over the configured cache backend. */
export const ARTIFACT_STORE = createToken<ArtifactStore>('artifacts.store');
