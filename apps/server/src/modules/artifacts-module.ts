import { ARTIFACT_ACCOUNT_REPOSITORY, ARTIFACT_STORE } from '@stratus/artifacts';
import { LIFECYCLE, LOGGER, OPERATIONS_SERVICE } from '@stratus/core';
import { ARTIFACT_DOWNLOAD_SERVICE } from '@stratus/plugin-api';
import { ARTIFACT_SERVICE, ArtifactService } from '../artifacts/artifact-service.js';
import { defineServerModule } from './define-server-module.js';
import { ARTIFACT_TYPES, LIVE_CONFIG, PROVIDER_HOST } from './module-tokens.js';

/**
 * Artifact accounts and downloads over the `artifacts:` block, with the account types built in and
 * those providers registered (so it comes after the providers module). Operations read the artifacts
 * they are given (a Kubernetes manifest from an artifact) through its downloader. A reload re-reads
 * the block.
 */
export const artifactsModule = defineServerModule({
  id: 'server.artifacts',
  deps: { types: ARTIFACT_TYPES, host: PROVIDER_HOST, live: LIVE_CONFIG, logger: LOGGER, lifecycle: LIFECYCLE, operations: OPERATIONS_SERVICE },
  async register({ root: config, deps, bind }) {
    const { live, lifecycle } = deps;
    const block = config.artifacts;
    const service = await ArtifactService.create({
      types: deps.types.types,
      block: isRecord(block) ? block : {},
      cache: deps.host.providerCache('artifacts'),
      adminRoles: () => live.current().config.security.adminRoles,
      logger: deps.logger.child({ component: 'artifacts' }),
    });
    lifecycle.onShutdown('artifacts', () => service.close(), 'storage');
    bind(ARTIFACT_SERVICE, service);
    bind(ARTIFACT_DOWNLOAD_SERVICE, service.downloader);
    bind(ARTIFACT_ACCOUNT_REPOSITORY, service.accounts);
    bind(ARTIFACT_STORE, service.store);
    deps.operations.useArtifactDownloads(service.downloader);
    lifecycle.onReload('artifacts', async () => {
      await service.reload(live.current().config.artifacts);
    });
  },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
