import { PROVIDER_ROUTE_REGISTRY } from '@stratus/core';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import type { ProviderRoute, ProviderRouteRequest } from '@stratus/plugin-api';
import type { Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { defineRoute } from '../http/define-route.js';
import type { RegisterRoutes } from './route-module.js';

/** The infrastructure listings Gate reads across every provider, each served per provider at `/<kind>/<cloudProvider>`. */
type Kind = 'networks' | 'subnets' | 'instanceTypes';

/** The provider routes `GET /<kind>/<cloudProvider>` (a literal provider segment, no placeholder), by cloud provider. */
function perProviderRoutes(container: DependencyContainer, kind: Kind): Map<string, ProviderRoute> {
  const found = new Map<string, ProviderRoute>();
  if (!container.isRegistered(PROVIDER_ROUTE_REGISTRY, true)) return found;
  const pattern = new RegExp(`^/${kind}/([A-Za-z0-9-]+)$`);
  for (const { route } of resolve(container, PROVIDER_ROUTE_REGISTRY).all()) {
    const match = route.method === 'get' ? pattern.exec(route.path) : null;
    if (match) found.set(match[1]!, route);
  }
  return found;
}

/** Runs every provider's route of `kind` with the caller's permissions; answers by cloud provider. */
async function collect(container: DependencyContainer, kind: Kind, req: Request): Promise<Map<string, unknown[]>> {
  const caller = callerAccessOf(req);
  const request: ProviderRouteRequest = { params: {}, query: {}, body: undefined, caller };
  const out = new Map<string, unknown[]>();
  for (const [cloudProvider, route] of perProviderRoutes(container, kind)) {
    const response = await route.handle(request);
    out.set(cloudProvider, Array.isArray(response.body) ? response.body : []);
  }
  return out;
}

/**
 * Clouddriver's NetworkController, SubnetController and InstanceTypeController: `GET /networks`
 * (a map by cloud provider), `GET /subnets` and `GET /instanceTypes` (one list of every provider's),
 * built from the per-provider routes providers register (`/networks/aws`, `/subnets/gce`, …), and
 * `GET /networks/{cloudProvider}` / `GET /subnets/{cloudProvider}` answering `[]` for a provider
 * that has none, as Clouddriver does. Mounted after the provider routes, so those win.
 */
export const registerInfrastructureRoutes: RegisterRoutes = (router, openapi, container) => {
  const list = z.array(z.record(z.string(), z.unknown()));
  defineRoute(router, openapi, {
    method: 'get',
    path: '/networks',
    summary: 'Networks of every provider, by cloud provider',
    tags: ['infrastructure'],
    response: z.record(z.string(), list),
    handler: async ({ req }) => Object.fromEntries(await collect(container, 'networks', req)) as Record<string, Record<string, unknown>[]>,
  });
  for (const kind of ['subnets', 'instanceTypes'] as const) {
    defineRoute(router, openapi, {
      method: 'get',
      path: `/${kind}`,
      summary: `${kind === 'subnets' ? 'Subnets' : 'Instance types'} of every provider`,
      tags: ['infrastructure'],
      response: list,
      handler: async ({ req }) => [...(await collect(container, kind, req)).values()].flat() as Record<string, unknown>[],
    });
  }
  for (const kind of ['networks', 'subnets'] as const) {
    defineRoute(router, openapi, {
      method: 'get',
      path: `/${kind}/{cloudProvider}`,
      summary: `${kind === 'networks' ? 'Networks' : 'Subnets'} of a provider that registers none: empty`,
      tags: ['infrastructure'],
      params: z.object({ cloudProvider: z.string() }),
      response: list,
      handler: () => [],
    });
  }
};
