import { PROVIDER_ROUTE_REGISTRY } from '@stratus/core';
import type { ProviderRouteRequest } from '@stratus/plugin-api';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { resolve } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { assertPathAccess, toExpressPath } from '../http/define-route.js';
import type { RegisterRoutes } from './route-module.js';

/**
 * Mounts the routes providers registered (`ProviderContext.registerRoutes`): Kubernetes manifests,
 * AWS image lookup and the like. They come first so a provider's literal path wins over a generic
 * parametric one, and each is documented in `/openapi.json` with its path parameters.
 */
export const registerProviderRoutes: RegisterRoutes = (router, openapi, container) => {
  if (!container.isRegistered(PROVIDER_ROUTE_REGISTRY, true)) return;
  const registry = resolve(container, PROVIDER_ROUTE_REGISTRY);
  for (const { providerId, route } of registry.all()) {
    const paramNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    openapi.registerPath({
      method: route.method,
      path: route.path,
      summary: route.summary ?? `${providerId} provider route`,
      tags: [providerId],
      request: paramNames.length > 0 ? { params: z.object(Object.fromEntries(paramNames.map((name) => [name, z.string()]))) } : {},
      responses: { 200: { description: 'Provider-specific JSON' } },
    });
    const handler: RequestHandler = async (req, res, next) => {
      try {
        const access = callerAccessOf(req);
        assertPathAccess(route.method, req.params as Record<string, unknown>, access);
        const request: ProviderRouteRequest = {
          params: req.params as Record<string, string>,
          query: req.query as ProviderRouteRequest['query'],
          body: req.body,
          caller: access,
        };
        const response = await route.handle(request);
        res.status(response.status ?? 200).json(response.body ?? null);
      } catch (error) {
        next(error);
      }
    };
    router[route.method](toExpressPath(route.path), handler);
  }
};
