import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ACCESS_RESOLVER, METRICS, NOOP_METRICS, definedOnly, type CallerAccess, type MetricsRegistry } from '@stratus/core';
import express, { type Express } from 'express';
import type { IncomingMessage } from 'node:http';
import { pino, type Logger } from 'pino';
import type { DependencyContainer } from 'tsyringe';
import { registerValue, resolveOptional } from '../di.js';
import { ServerHealth } from '../health/server-health.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { PromMetricsRegistry } from '../metrics/prom-metrics-registry.js';
import { ROUTE_MODULES } from '../routes/index.js';
import type { RegisterRoutes } from '../routes/route-module.js';
import { registerSystemRoutes } from '../routes/system-routes.js';
import { ACCOUNT_REGISTRY } from '../modules/module-tokens.js';
import { PROM_METRICS, SERVER_HEALTH, VIEW_GENERATIONS } from '../tokens.js';
import { grantCallerAccess, resolveCallerAccess } from './caller-access-middleware.js';
import { applicationViewCache } from './application-view-cache.js';
import { errorHandler } from './error-handler.js';
import { postRateLimit, type PostRateLimit } from './post-rate-limit.js';
import { requestLog } from './request-log.js';
import { unimplementedRouteHandler } from './unimplemented-route-handler.js';

export interface CreateAppOptions {
  readonly container: DependencyContainer;
  /** Request logs go to a child of this logger; silent when absent. */
  readonly logger?: Logger;
  /** The route modules to mount; every module of `routes/index.ts` when absent. */
  readonly routeModules?: readonly RegisterRoutes[];
  /** Largest accepted JSON body (default `20mb`: Kubernetes manifests can be big). */
  readonly bodyLimit?: string;
  /** How long a cached application view may be served (`server.viewCache.ttlSeconds`); 0 = no view cache. */
  readonly viewCacheTtlMs?: number;
  /** Per-caller limit on `POST` requests (`server.rateLimit`); none when absent. */
  readonly rateLimit?: PostRateLimit;
  /**
   * Every request's access, instead of resolving it from the request: the management port, which
   * only operators reach, shows everything.
   */
  readonly fixedAccess?: CallerAccess;
  /** Mount the system routes (`/health`, readiness, `/metrics`, `/openapi.json`); default true. */
  readonly systemRoutes?: boolean;
}

export interface StratusApp {
  readonly app: Express;
  readonly openapi: OpenAPIRegistry;
  /** The OpenAPI 3.1 document generated from every declared route. */
  openApiDocument(): Record<string, unknown>;
}

function isJsonOrUnlabelled(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type === undefined || type === '' || /json|application\/x-www-form-urlencoded|text\/plain/i.test(type);
}

/**
 * Builds the express app: request ids and logs (one line each, see request-log.ts), JSON bodies, HTTP metrics, the system
 * routes (`/health`, readiness, `/metrics`, `/openapi.json`), every route module, then Clouddriver-
 * style 404 (naming client-contract endpoints Stratus does not serve) and error bodies. Services come from `container` by their tokens.
 */
export function createApp(options: CreateAppOptions): StratusApp {
  const { container } = options;
  const logger = options.logger ?? pino({ level: 'silent' });
  const metrics: MetricsRegistry = resolveOptional(container, METRICS) ?? NOOP_METRICS;
  if (!resolveOptional(container, SERVER_HEALTH)) registerValue(container, SERVER_HEALTH, new ServerHealth());
  if (!resolveOptional(container, PROM_METRICS)) registerValue(container, PROM_METRICS, new PromMetricsRegistry({ defaultMetrics: false }));

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');
  app.use(requestLog(logger));
  // Every body this API takes is JSON. A client that forgets the header (curl sends form encoding by
  // default) gets its JSON read, or a "malformed JSON" 400, instead of a confusing "expected array".
  app.use(express.json({ limit: options.bodyLimit ?? '20mb', type: isJsonOrUnlabelled }));
  app.use(httpMetrics(metrics));
  if (!options.fixedAccess && !resolveOptional(container, ACCESS_RESOLVER)) {
    // Nothing configured who callers are: nobody may read or write any account.
    registerValue(container, ACCESS_RESOLVER, { resolve: () => ({ roles: [], canReadAccount: () => false, canWriteAccount: () => false }) });
  }
  // The one place every request's caller is established; routes read it, never the headers.
  app.use(options.fixedAccess ? grantCallerAccess(options.fixedAccess) : resolveCallerAccess(container));
  if (options.rateLimit) app.use(postRateLimit(options.rateLimit));
  const generations = resolveOptional(container, VIEW_GENERATIONS);
  const accounts = resolveOptional(container, ACCOUNT_REGISTRY);
  if (options.viewCacheTtlMs !== 0) {
    app.use(applicationViewCache(definedOnly({ generations, accountsVersion: accounts && (() => accounts.version), ttlMs: options.viewCacheTtlMs })));
  }

  const openapi = new OpenAPIRegistry();
  const router = express.Router();
  const openApiDocument = () =>
    new OpenApiGeneratorV31(openapi.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'Stratus', version: '1', description: "Clouddriver's API, served by Stratus" },
    }) as unknown as Record<string, unknown>;

  if (options.systemRoutes ?? true) registerSystemRoutes(router, openapi, container, openApiDocument);
  for (const register of options.routeModules ?? ROUTE_MODULES) register(router, openapi, container);
  app.use(router);
  app.use(unimplementedRouteHandler(metrics));
  app.use(errorHandler);
  return { app, openapi, openApiDocument };
}
