import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { LOAD_BALANCER_READ_SERVICE } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { HttpError, defineRoute } from '../http/define-route.js';
import { callerAccess, found, readService } from './read-support.js';
import { loadBalancerItemSchema, loadBalancerSchema } from './read-schemas.js';

const name = z.string().min(1);

/**
 * `/applications/{application}/loadBalancers` and `/{cloudProvider}/loadBalancers[…]`. The
 * `/{cloudProvider}/…` paths only match when the second segment is literally `loadBalancers`, so
 * they do not shadow other modules' two- and three-segment routes.
 */
export function registerReadLoadBalancerRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const loadBalancers = () => readService(container, LOAD_BALANCER_READ_SERVICE);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/loadBalancers',
    summary: "An application's load balancers from every provider",
    tags: ['loadBalancers'],
    params: z.object({ application: name }),
    response: z.array(loadBalancerSchema),
    handler: ({ params, req }) => loadBalancers().forApplication(callerAccess(container, req), params.application),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/{cloudProvider}/loadBalancers',
    summary: "A cloud provider's load balancers by name, account and region",
    tags: ['loadBalancers'],
    params: z.object({ cloudProvider: name }),
    response: z.array(loadBalancerItemSchema),
    handler: ({ params, req }) => loadBalancers().list(callerAccess(container, req), params.cloudProvider),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/{cloudProvider}/loadBalancers/{name}',
    summary: 'The load balancers of one name across accounts and regions (one item)',
    tags: ['loadBalancers'],
    params: z.object({ cloudProvider: name, name }),
    response: loadBalancerItemSchema,
    handler: async ({ params, req }) =>
      found(
        await loadBalancers().byName(callerAccess(container, req), params.cloudProvider, params.name),
        `Load balancer not found (cloudProvider: ${params.cloudProvider}, name: ${params.name})`,
      ),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/{cloudProvider}/loadBalancers/{account}/{region}/{name}',
    summary: "A load balancer's provider-specific details",
    tags: ['loadBalancers'],
    params: z.object({ cloudProvider: name, account: name, region: name, name }),
    response: z.array(z.record(z.string(), z.unknown())),
    handler: async ({ params, req }) => {
      const details = await loadBalancers().details(callerAccess(container, req), params.cloudProvider, params.account, params.region, params.name);
      if (details.length === 0) {
        throw new HttpError(
          404,
          `Load balancer not found (cloudProvider: ${params.cloudProvider}, account: ${params.account}, region: ${params.region}, name: ${params.name})`,
        );
      }
      return details;
    },
  });
}
