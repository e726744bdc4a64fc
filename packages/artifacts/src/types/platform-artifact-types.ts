import { ArtifactError, type ArtifactAccountTypeDefinition } from '@stratus/plugin-api';
import { accountName } from '../account-fields.js';

/**
 * Artifact types a cloud platform fetches itself (Clouddriver's docker and kubernetes artifact
 * accounts): they exist so pipelines can bind such artifacts to an account; downloading them
 * through Stratus is refused, as in Clouddriver.
 */
function platformType(
  configKey: string,
  credentialsType: string,
  accountNameDefault: string,
  types: readonly string[],
  why: string,
): ArtifactAccountTypeDefinition {
  return {
    configKey,
    credentialsType,
    defaultAccounts: () => [{ name: accountNameDefault }],
    parse(raw) {
      const name = accountName(raw);
      return {
        name,
        types,
        async download(artifact) {
          throw new ArtifactError(400, `${why} (artifact account ${name}, type ${artifact.type})`);
        },
      };
    },
  };
}

/** `docker/image` on Clouddriver's `docker-registry` account, present when Kubernetes, Cloud Run or a Docker registry provider is enabled. */
export const dockerImageArtifactType = platformType(
  'dockerImage',
  'artifacts-docker',
  'docker-registry',
  ['docker/image'],
  'Docker references are passed on to cloud platforms who retrieve images directly',
);

/** `kubernetes/*` on Clouddriver's `kubernetes` artifact account, present when the Kubernetes provider is enabled. */
export const kubernetesArtifactType = platformType(
  'kubernetesObject',
  'artifacts-kubernetes',
  'kubernetes',
  ['kubernetes/configMap', 'kubernetes/deployment', 'kubernetes/replicaSet', 'kubernetes/secret'],
  'Kubernetes artifacts are retrieved by kubernetes directly',
);
