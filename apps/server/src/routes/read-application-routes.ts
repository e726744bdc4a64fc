import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { APPLICATION_READ_SERVICE, canAccessApplication } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import { booleanParam, callerAccess, found, readService } from './read-support.js';

const applicationSchema = z
  .object({
    name: z.string(),
    attributes: z.record(z.string(), z.unknown()),
    clusterNames: z.record(z.string(), z.array(z.string()).readonly()),
  })
  .openapi('Application');

const applicationDetailSchema = z
  .object({
    name: z.string(),
    attributes: z.record(z.string(), z.unknown()).describe('Merged provider attributes plus `cloudProviders: "aws,kubernetes"`'),
    clusters: z.record(
      z.string(),
      z.array(z.object({ name: z.string(), provider: z.string(), serverGroups: z.array(z.string()), loadBalancers: z.array(z.string()) })),
    ),
  })
  .openapi('ApplicationDetail');

/** `GET /applications` and `GET /applications/{application}`. */
export function registerReadApplicationRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications',
    summary: 'Every application any provider knows, merged by name and sorted',
    tags: ['applications'],
    query: z.object({
      expand: booleanParam(true).describe('Include cluster names per account'),
      restricted: booleanParam(true).describe('Accepted for compatibility: applications that only live in accounts the caller cannot READ are always left out'),
    }),
    response: z.array(applicationSchema),
    handler: async ({ query, access }) =>
      // With Fiat, applications the caller may not READ are left out too (Clouddriver's post-filter).
      (await readService(container, APPLICATION_READ_SERVICE).list(access, { expand: query.expand, restricted: query.restricted })).filter((app) =>
        canAccessApplication(access, app.name, 'READ'),
      ),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}',
    summary: 'One application with its clusters per account',
    tags: ['applications'],
    params: z.object({ application: z.string().min(1) }),
    response: applicationDetailSchema,
    handler: async ({ params, req }) =>
      found(
        await readService(container, APPLICATION_READ_SERVICE).get(callerAccess(container, req), params.application),
        `Application does not exist (name: ${params.application})`,
      ),
  });
}
