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

/**
 * Every route module the server mounts, in order. A new module is one line here: its
 * `registerXRoutes(router, openapi, container)` declares its routes with `defineRoute`.
 */
export const ROUTE_MODULES: readonly RegisterRoutes[] = [
  registerProviderRoutes,
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
];
