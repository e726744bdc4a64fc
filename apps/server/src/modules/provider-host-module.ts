import {
  AGENT_SCHEDULER,
  CACHE,
  CACHE_STORE_FACTORY,
  KEY_PARSER_REGISTRY,
  KeyParserRegistry,
  LOGGER,
  MapReadModelRegistry,
  ON_DEMAND_AGENT_SOURCE,
  OPERATION_REGISTRY,
  OperationRegistry,
  PROVIDER_ROUTE_REGISTRY,
  ProviderHost,
  ProviderRouteRegistry,
  READ_MODEL_REGISTRY,
} from '@stratus/core';
import { ArtifactTypeCollector } from '../artifacts/artifact-type-collector.js';
import { LOADED_PROVIDERS, PROM_METRICS, SERVER_HEALTH } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { ARTIFACT_TYPES, LIVE_CONFIG, PROVIDER_HOST } from './module-tokens.js';

/**
 * The provider host and the registries it fills while providers register (read models, key
 * parsers, routes, operations, artifact account types). Providers themselves load in the
 * providers module; this one only makes the place they register into.
 */
export const providerHostModule = defineServerModule({
  id: 'core.provider-host',
  deps: { cacheStoreFactory: CACHE_STORE_FACTORY, scheduler: AGENT_SCHEDULER, logger: LOGGER, metrics: PROM_METRICS, health: SERVER_HEALTH, live: LIVE_CONFIG },
  register({ root: config, deps, bind }) {
    const { health } = deps;
    const readModels = new MapReadModelRegistry();
    const keyParsers = new KeyParserRegistry();
    const providerRoutes = new ProviderRouteRegistry();
    const operations = new OperationRegistry();
    const artifactTypes = new ArtifactTypeCollector(deps.live.current().raw);
    const host = new ProviderHost({
      onArtifactAccountType: (providerId, definition) => artifactTypes.add(providerId, definition),
      cacheStoreFactory: deps.cacheStoreFactory,
      scheduler: deps.scheduler,
      readModels,
      keyParsers,
      routes: providerRoutes,
      // Informational, like the accounts component: a provider's details never fail readiness.
      onHealthDetails: (component, details) =>
        health.addCheck({
          name: component,
          check: async () => {
            try {
              return await details();
            } catch (error) {
              return { error: error instanceof Error ? error.message : String(error) };
            }
          },
        }),
      onOperation: (cloudProvider, definition) => operations.register(cloudProvider, definition),
      schedulingEnabled: config.caching.writeEnabled,
      logger: deps.logger,
      metrics: deps.metrics,
    });
    bind(PROVIDER_HOST, host);
    bind(CACHE, host.cache);
    bind(READ_MODEL_REGISTRY, readModels);
    bind(KEY_PARSER_REGISTRY, keyParsers);
    bind(PROVIDER_ROUTE_REGISTRY, providerRoutes);
    bind(OPERATION_REGISTRY, operations);
    bind(ON_DEMAND_AGENT_SOURCE, host);
    bind(ARTIFACT_TYPES, artifactTypes);
    bind(LOADED_PROVIDERS, () => host.providers());
  },
});
