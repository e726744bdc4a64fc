import { LIFECYCLE, NODE_ID } from '@stratus/core';
import { SERVER_HEALTH } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { HTTP_ENDPOINTS, SERVER_LOGGER, STORAGE_SUMMARY } from './module-tokens.js';

/** Which Node runs the server, and whether from compiled JavaScript (`pnpm start`) or the TypeScript sources (tests, the checkout's bin). */
const RUNTIME = { node: process.version, code: import.meta.url.endsWith('.js') ? 'compiled' : 'source' } as const;

/**
 * Listed last: readiness goes UP once every other start step ran, and it is the first thing
 * shutdown takes down (the load balancer stops sending before anything closes).
 */
export const readinessModule = defineServerModule({
  id: 'server.readiness',
  deps: { lifecycle: LIFECYCLE, health: SERVER_HEALTH, logger: SERVER_LOGGER, endpoints: HTTP_ENDPOINTS, nodeId: NODE_ID, storage: STORAGE_SUMMARY },
  register({ root: config, deps }) {
    const { lifecycle, health, logger, endpoints } = deps;
    lifecycle.onStart('readiness', () => {
      health.markReady();
      // `url` is where a local client reaches it; `listening` is what the socket is bound to (all interfaces or one).
      logger.info(
        {
          url: endpoints.url,
          listening: `${config.server.address}:${endpoints.port}`,
          nodeId: deps.nodeId,
          storage: deps.storage,
          writeEnabled: config.caching.writeEnabled,
          runtime: RUNTIME,
        },
        'Stratus is ready',
      );
    });
    lifecycle.onShutdown('readiness', () => health.markStopping(), 'intake');
  },
});
