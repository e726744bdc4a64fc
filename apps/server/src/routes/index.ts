import type { RegisterRoutes } from './route-module.js';

/**
 * Every route module the server mounts, in order. A new module is one line here: its
 * `registerXRoutes(router, openapi, container)` declares its routes with `defineRoute`.
 */
export const ROUTE_MODULES: readonly RegisterRoutes[] = [];
