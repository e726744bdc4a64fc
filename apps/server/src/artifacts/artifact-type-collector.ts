import { BUILT_IN_ARTIFACT_TYPES, dockerImageArtifactType, kubernetesArtifactType } from '@stratus/artifacts';
import type { ArtifactAccountTypeDefinition } from '@stratus/plugin-api';

const enabled = (block: unknown) => isRecord(block) && block.enabled === true;

/**
 * The built-in artifact account types plus those providers register; a config key may be taken
 * once. Like Clouddriver, the `docker-registry` account (`docker/image`) exists when Kubernetes,
 * Cloud Run or a Docker registry provider is enabled, and the `kubernetes` one (`kubernetes/*`)
 * when Kubernetes is.
 */
export class ArtifactTypeCollector {
  private readonly owners = new Map<string, string>();
  readonly types: ArtifactAccountTypeDefinition[] = [];

  constructor(raw: Record<string, unknown> = {}) {
    const platform = [
      ...(enabled(raw.kubernetes) || enabled(raw.cloudrun) || enabled(raw.dockerRegistry) ? [dockerImageArtifactType] : []),
      ...(enabled(raw.kubernetes) ? [kubernetesArtifactType] : []),
    ];
    for (const type of [...BUILT_IN_ARTIFACT_TYPES, ...platform]) {
      this.owners.set(type.configKey, 'Stratus (built in)');
      this.types.push(type);
    }
  }

  add(providerId: string, definition: ArtifactAccountTypeDefinition): void {
    const owner = this.owners.get(definition.configKey);
    if (owner) throw new Error(`artifact account type artifacts.${definition.configKey} is already registered by ${owner}`);
    this.owners.set(definition.configKey, `provider ${providerId}`);
    this.types.push(definition);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
