import { LIFECYCLE, OPEN_ACCESS } from '@stratus/core';
import type { Server } from 'node:http';
import { createApp } from '../http/create-app.js';
import { registerCacheIntrospectionRoute } from '../routes/cache-routes.js';
import { defineServerModule } from './define-server-module.js';
import { HTTP_ENDPOINTS, SERVER_LOGGER, type HttpEndpoints } from './module-tokens.js';
import { listenMainPort } from '../server/listen-main-port.js';

/**
 * The HTTP ports: the API (every route module of `routes/index.ts`) and, with
 * `management.server.port`, the operators' port. Listens at start, after everything else is bound;
 * closes after the running work drained (Orca keeps polling its tasks meanwhile).
 */
export const httpModule = defineServerModule({
  id: 'server.http',
  deps: { lifecycle: LIFECYCLE, logger: SERVER_LOGGER },
  register({ root: config, deps, bind, container }) {
    const { lifecycle, logger } = deps;
    const endpoints: HttpEndpoints = { url: '', port: 0 };
    bind(HTTP_ENDPOINTS, endpoints);
    const servers: Server[] = [];
    lifecycle.onShutdown(
      'http',
      async () => {
        for (const server of servers) await closeServer(server);
      },
      'listeners',
    );
    lifecycle.onStart('http', async () => {
      // createApp resolves per request from the container every module bound into.
      const appContainer = container;
      const rate = config.server.rateLimit;
      const { app } = createApp({
        container: appContainer,
        logger,
        ...(rate.enabled ? { rateLimit: { windowMs: rate.windowSeconds * 1000, max: rate.maxPostsPerWindow } } : {}),
        viewCacheTtlMs: config.server.viewCache.ttlSeconds * 1000,
      });
      const server = await listenMainPort(app, config.server);
      servers.push(server);
      server.keepAliveTimeout = config.server.keepAliveTimeoutSeconds * 1000;
      server.headersTimeout = server.keepAliveTimeout + 1_000;
      const shownHost = config.server.address === '0.0.0.0' || config.server.address === '::' ? '127.0.0.1' : config.server.address;
      const urlOf = (port: number, scheme = 'http') => `${scheme}://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
      endpoints.port = portOf(server) ?? config.server.port;
      // The main port speaks TLS when server.ssl is on; the management port stays plain HTTP.
      endpoints.url = urlOf(endpoints.port, config.server.ssl.enabled ? 'https' : 'http');

      const management = config.management.server;
      if (management.port !== undefined) {
        // Operators only (a port the load balancer does not expose): metrics, readiness details and
        // introspection in full, for every account.
        const managementApp = createApp({ container: appContainer, logger, routeModules: [registerCacheIntrospectionRoute], fixedAccess: OPEN_ACCESS });
        const managementServer = await listen(managementApp.app, management.port, management.address ?? config.server.address);
        servers.push(managementServer);
        const port = portOf(managementServer) ?? management.port;
        logger.info({ port }, 'management port listening');
        endpoints.managementUrl = urlOf(port);
      }
    });
  },
});

function portOf(server: Server): number | undefined {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : undefined;
}

function listen(app: ReturnType<typeof createApp>['app'], port: number, address: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    // Express 5 calls this back on 'error' too, with the error.
    const listening = app.listen(port, address, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
}

/** Stops accepting connections, closes idle ones, and cuts the rest after a few seconds. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 5_000);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
