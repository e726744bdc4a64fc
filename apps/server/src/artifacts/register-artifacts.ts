import { ARTIFACT_ACCOUNT_REPOSITORY, ARTIFACT_STORE, BUILT_IN_ARTIFACT_TYPES, dockerImageArtifactType, kubernetesArtifactType } from '@stratus/artifacts';
import { ARTIFACT_DOWNLOAD_SERVICE, type ArtifactAccountTypeDefinition, type Logger, type ProviderCache } from '@stratus/plugin-api';
import type { DependencyContainer } from 'tsyringe';
import { registerValue } from '../di.js';
import { ARTIFACT_SERVICE, ArtifactService } from './artifact-service.js';

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

/**
 * Builds the artifact service over the `artifacts:` block and registers it with its parts:
 * `ARTIFACT_DOWNLOAD_SERVICE` (plugin-api), `ARTIFACT_ACCOUNT_REPOSITORY` and `ARTIFACT_STORE`
 * (`@stratus/artifacts`) and the server's `ARTIFACT_SERVICE`.
 */
export async function registerArtifacts(
  container: DependencyContainer,
  options: { types: readonly ArtifactAccountTypeDefinition[]; block: unknown; cache: ProviderCache; adminRoles: () => readonly string[]; logger: Logger },
): Promise<ArtifactService> {
  const service = await ArtifactService.create({
    types: options.types,
    block: isRecord(options.block) ? options.block : {},
    cache: options.cache,
    adminRoles: options.adminRoles,
    logger: options.logger,
  });
  registerValue(container, ARTIFACT_SERVICE, service);
  registerValue(container, ARTIFACT_DOWNLOAD_SERVICE, service.downloader);
  registerValue(container, ARTIFACT_ACCOUNT_REPOSITORY, service.accounts);
  registerValue(container, ARTIFACT_STORE, service.store);
  return service;
}
