import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { PROVIDER_ROUTE_REGISTRY } from '@stratus/core';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { RouteError, type ProviderRouteRequest } from '@stratus/plugin-api';
import type { Request, Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolveOptional } from '../di.js';
import { HttpError, defineRoute } from '../http/define-route.js';

/**
 * `GET /roles/{cloudProvider}`, `GET /certificates` and `GET /certificates/{cloudProvider}`
 * (Clouddriver's `RoleController` and `CertificateController`). A provider that has roles or
 * certificates serves them with its own routes at `/roles/<its cloud provider>` and
 * `/certificates/<its cloud provider>` (provider routes are mounted first, so they answer); these
 * generic routes answer `[]` for every other cloud provider, as Clouddriver does without a role or
 * certificate provider, and `/certificates` gathers every provider's certificates, sorted by
 * `serverCertificateName` ignoring case. docs/provider-author-guide.md describes the convention.
 */
export function registerProviderCatalogRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const cloudProviderParams = z.object({ cloudProvider: z.string().min(1) });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/roles/{cloudProvider}',
    summary: "The cloud provider's roles (e.g. AWS IAM roles); [] when the provider has none",
    tags: ['roles'],
    params: cloudProviderParams,
    response: z.array(z.record(z.string(), z.unknown())),
    handler: () => [],
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/certificates',
    summary: "Every provider's certificates, sorted by serverCertificateName",
    tags: ['certificates'],
    response: z.array(z.record(z.string(), z.unknown())),
    handler: async ({ req }) => {
      const lists = await Promise.all(providerRoutes(container, /^\/certificates\/[^/{}]+$/).map((route) => callProviderRoute(container, req, route)));
      const name = (certificate: unknown) => String((certificate as { serverCertificateName?: unknown })?.serverCertificateName ?? '').toLowerCase();
      return lists.flatMap((list) => (Array.isArray(list) ? list : [])).sort((a, b) => name(a).localeCompare(name(b)));
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/certificates/{cloudProvider}',
    summary: "The cloud provider's certificates; [] when the provider has none",
    tags: ['certificates'],
    params: cloudProviderParams,
    response: z.array(z.record(z.string(), z.unknown())),
    handler: () => [],
  });
}

type Handle = (request: ProviderRouteRequest) => Promise<{ status?: number; body: unknown }>;

function providerRoutes(container: DependencyContainer, path: RegExp): Handle[] {
  const registry = resolveOptional(container, PROVIDER_ROUTE_REGISTRY);
  if (!registry) return [];
  return registry
    .all()
    .filter(({ route }) => route.method === 'get' && path.test(route.path))
    .map(
      ({ route }) =>
        (request: ProviderRouteRequest) =>
          route.handle(request),
    );
}

async function callProviderRoute(container: DependencyContainer, req: Request, handle: Handle): Promise<unknown> {
  try {
    const response = await handle({ params: {}, query: {}, body: undefined, caller: callerAccessOf(req) });
    return (response.status ?? 200) === 200 ? response.body : [];
  } catch (error) {
    if (error instanceof RouteError) throw new HttpError(error.status, error.message);
    throw error;
  }
}
