import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { INSTANCE_READ_SERVICE } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import { callerAccess, found, readService } from './read-support.js';
import { instanceSchema } from './read-schemas.js';

const name = z.string().min(1);

/** `GET /instances/{account}/{region}/{id}`. */
export function registerReadInstanceRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/instances/{account}/{region}/{id}',
    summary: 'One instance',
    tags: ['instances'],
    params: z.object({ account: name, region: name, id: name }),
    response: instanceSchema,
    handler: async ({ params, req }) =>
      found(
        await readService(container, INSTANCE_READ_SERVICE).get(callerAccess(container, req), params.account, params.region, params.id),
        `Instance not found (account: ${params.account}, region: ${params.region}, id: ${params.id})`,
      ),
  });
}
