import type { ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { bitbucketFileArtifactType } from './types/bitbucket-file-artifact-type.js';
import { embeddedArtifactType } from './types/embedded-artifact-type.js';
import { gcsObjectArtifactType } from './types/gcs-object-artifact-type.js';
import { gitRepoArtifactType } from './types/git-repo-artifact-type.js';
import { githubFileArtifactType } from './types/github-file-artifact-type.js';
import { gitlabFileArtifactType } from './types/gitlab-file-artifact-type.js';
import { helmChartArtifactType } from './types/helm-chart-artifact-type.js';
import { httpFileArtifactType } from './types/http-file-artifact-type.js';
import { s3ObjectArtifactType } from './types/s3-object-artifact-type.js';

/** The artifact account types Stratus ships, under Clouddriver's config keys. */
export const BUILT_IN_ARTIFACT_TYPES: readonly ArtifactAccountTypeDefinition[] = [
  embeddedArtifactType,
  httpFileArtifactType,
  s3ObjectArtifactType,
  gcsObjectArtifactType,
  githubFileArtifactType,
  gitlabFileArtifactType,
  bitbucketFileArtifactType,
  helmChartArtifactType,
  gitRepoArtifactType,
];
