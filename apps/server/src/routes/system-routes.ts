import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute, withStatus } from '../http/define-route.js';
import { AGENT_SCHEDULER } from '@stratus/core';
import { resolve, resolveOptional } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { metricsFor, readinessFor } from '../http/operational-views.js';
import { PROM_METRICS, SERVER_HEALTH, SERVER_INFO } from '../tokens.js';

const componentSchema = z.object({
  status: z.enum(['UP', 'DOWN', 'OUT_OF_SERVICE']),
  kind: z.string().optional(),
  latencyMs: z.number(),
  error: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const readinessSchema = z
  .object({
    status: z.enum(['UP', 'DOWN', 'OUT_OF_SERVICE']),
    phase: z.enum(['starting', 'ready', 'stopping']),
    components: z.record(z.string(), componentSchema),
  })
  .openapi('Readiness');

/**
 * `/health` (liveness: the process answers), readiness with each store's connectivity (503 until
 * started, while a store is unreachable, and once shutdown began), `/metrics` and `/openapi.json`.
 */
// eslint-disable-next-line max-lines-per-function -- one defineRoute per Clouddriver path of this group: the list is the API surface, and splitting it would scatter the paths
export function registerSystemRoutes(
  router: Router,
  openapi: OpenAPIRegistry,
  container: DependencyContainer,
  openApiDocument: () => Record<string, unknown>,
): void {
  const health = () => resolve(container, SERVER_HEALTH);

  // A browser opening the server gets the operator console; API clients get the JSON below.
  router.get('/', (req, res, next) => (req.accepts(['json', 'html']) === 'html' ? res.redirect('/console/') : next()));
  defineRoute(router, openapi, {
    method: 'get',
    path: '/',
    summary: 'What this server is: Stratus, whether it runs the demo cloud, and where to start reading',
    tags: ['system'],
    response: z.object({
      name: z.literal('Stratus'),
      description: z.string(),
      demo: z.boolean(),
      nodeId: z.string().optional(),
      links: z.record(z.string(), z.string()),
    }),
    handler: () => {
      const info = resolveOptional(container, SERVER_INFO);
      return {
        name: 'Stratus' as const,
        description: info?.demo
          ? "DEMO: Spinnaker's Clouddriver API over a synthetic cloud with made-up accounts; start with --config <file> for real clouds"
          : "Spinnaker's Clouddriver API",
        demo: info?.demo ?? false,
        ...(info ? { nodeId: info.nodeId } : {}),
        links: { console: '/console/', credentials: '/credentials', applications: '/applications', health: '/health/readiness', openapi: '/openapi.json' },
      };
    },
  });

  for (const path of ['/health', '/health/liveness']) {
    defineRoute(router, openapi, {
      method: 'get',
      path,
      summary: 'Liveness: UP while the process serves requests',
      tags: ['system'],
      response: z.object({ status: z.literal('UP') }),
      handler: () => ({ status: 'UP' as const }),
    });
  }

  for (const path of ['/health/readiness', '/health/ready']) {
    defineRoute(router, openapi, {
      method: 'get',
      path,
      summary:
        'Readiness: started, not shutting down, and every store answers its ping (503 otherwise); details only of the accounts the caller may read (in full for admins)',
      tags: ['system'],
      response: readinessSchema,
      handler: async ({ access }) => {
        const report = readinessFor(access, await health().readiness());
        return withStatus(report.status === 'UP' ? 200 : 503, report);
      },
    });
  }

  openapi.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (text exposition format); samples naming accounts the caller cannot read are left out',
    tags: ['system'],
    responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
  });
  router.get('/metrics', async (req, res, next) => {
    try {
      const { contentType, body } = await resolve(container, PROM_METRICS).render();
      const agents = resolveOptional(container, AGENT_SCHEDULER)?.instrumentation.list() ?? [];
      res.type(contentType).send(metricsFor(callerAccessOf(req), body, agents));
    } catch (error) {
      next(error);
    }
  });

  openapi.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI document, generated from the route schemas',
    tags: ['system'],
    responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  });
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
}
