import type { RegisterRoutes } from './route-module.js';
import { registerCredentialsRoutes } from './credentials-routes.js';
import { registerProviderRoutes } from './provider-routes.js';
import { registerInfrastructureRoutes } from './infrastructure-routes.js';
import { registerConsoleOutputRoute } from './console-output-routes.js';
import { registerReadApplicationRoutes } from './read-application-routes.js';
import { registerReadClusterRoutes } from './read-cluster-routes.js';
import { registerReadServerGroupRoutes } from './read-server-group-routes.js';
import { registerReadInstanceRoutes } from './read-instance-routes.js';
import { registerReadLoadBalancerRoutes } from './read-load-balancer-routes.js';
import { registerReadSecurityGroupRoutes } from './read-security-group-routes.js';
import { registerReadSearchRoutes } from './read-search-routes.js';
import { registerOpsRoutes } from './ops-routes.js';
import { registerTaskRoutes } from './task-routes.js';
import { registerCacheRoutes } from './cache-routes.js';
import { registerFeatureRoutes } from './feature-routes.js';
import { registerAdminDbRoutes } from '../admin/admin-db-routes.js';
import { registerConsoleRoutes } from '../console/console-routes.js';
import { registerProjectRoutes } from './project-routes.js';
import { registerEntityTagsRoutes } from './entity-tags-routes.js';
import { registerProviderCatalogRoutes } from './provider-catalog-routes.js';
import { registerInstalledPluginsRoutes } from './installed-plugins-routes.js';
import { registerStorageRoutes } from './storage-routes.js';
import { registerServerGroupManagerRoutes } from './server-group-manager-routes.js';
import { registerShadowedEndpointRoutes } from './shadowed-endpoint-routes.js';
import { registerArtifactRoutes } from './artifact-routes.js';

/**
 * Every route module the server mounts, in order. A new module is one line here: its
 * `registerXRoutes(router, openapi, container)` declares its routes with `defineRoute`.
 */
export const ROUTE_MODULES: readonly RegisterRoutes[] = [
  registerProviderRoutes,
  registerShadowedEndpointRoutes,
  registerInfrastructureRoutes,
  registerConsoleOutputRoute,
  registerCredentialsRoutes,
  registerReadApplicationRoutes,
  registerReadClusterRoutes,
  registerReadServerGroupRoutes,
  registerReadInstanceRoutes,
  registerReadLoadBalancerRoutes,
  registerReadSecurityGroupRoutes,
  registerReadSearchRoutes,
  registerOpsRoutes,
  registerTaskRoutes,
  registerCacheRoutes,
  registerFeatureRoutes,
  registerAdminDbRoutes,
  registerConsoleRoutes,
  registerProjectRoutes,
  registerEntityTagsRoutes,
  registerProviderCatalogRoutes,
  registerInstalledPluginsRoutes,
  registerStorageRoutes,
  registerServerGroupManagerRoutes,
  registerArtifactRoutes,
];
