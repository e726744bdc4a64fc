import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { OPERATION_REGISTRY } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { defineRoute } from '../http/define-route.js';

/** `GET /features/stages`: every registered operation as an enabled stage (Clouddriver's FeaturesController). */
export function registerFeatureRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/features/stages',
    summary: 'The operations this server offers, as enabled stages',
    tags: ['features'],
    response: z.array(z.object({ name: z.string(), enabled: z.boolean() })),
    handler: () =>
      resolve(container, OPERATION_REGISTRY)
        .operationNames()
        .map((name) => ({ name, enabled: true })),
  });
}
