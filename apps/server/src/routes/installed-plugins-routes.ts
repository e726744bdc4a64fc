import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolveOptional } from '../di.js';
import { defineRoute } from '../http/define-route.js';
import { LOADED_PROVIDERS } from '../tokens.js';

const pluginDescriptorSchema = z
  .object({
    pluginId: z.string(),
    pluginDescription: z.string(),
    pluginClass: z.string(),
    version: z.string(),
    requires: z.string(),
    dependencies: z.array(z.object({ pluginId: z.string(), pluginVersionSupport: z.string(), optional: z.boolean() })),
    unsafe: z.boolean(),
  })
  .openapi('SpinnakerPluginDescriptor');

/**
 * `GET /installedPlugins`: the provider packages this server loaded, in the shape of kork's
 * `SpinnakerPluginDescriptor` that Gate reads (Gate's `/plugins/installed` lists them under
 * `clouddriver`). `pluginId` is the package name (or the provider id for a provider handed to the
 * server in code), `version` the package's version, `requires` the provider SPI version it was built
 * against.
 */
export function registerInstalledPluginsRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/installedPlugins',
    summary: 'The provider packages loaded, as Spinnaker plugin descriptors',
    tags: ['plugins'],
    response: z.array(pluginDescriptorSchema),
    handler: () =>
      (resolveOptional(container, LOADED_PROVIDERS)?.() ?? []).map((provider) => ({
        pluginId: provider.source ?? provider.id,
        pluginDescription: `Stratus ${provider.id} provider (config key: ${provider.configKey})`,
        pluginClass: provider.source ?? provider.id,
        version: provider.version,
        requires: `stratus-provider-spi>=${provider.apiVersion}`,
        dependencies: [],
        unsafe: false,
      })),
  });
}
