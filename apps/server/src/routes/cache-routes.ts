import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { AGENT_SCHEDULER, ON_DEMAND_CACHE_UPDATER, registerOnDemandServices, type AgentExecutionRecord } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { defineRoute, withStatus } from '../http/define-route.js';

const cacheParams = z.object({
  cloudProvider: z.string().min(1),
  type: z.string().min(1).describe('On-demand type, compared case-insensitively: `ServerGroup`, `LoadBalancer`, …'),
});

const pendingSchema = z
  .object({
    id: z.string(),
    details: z.record(z.string(), z.unknown()),
    moniker: z.record(z.string(), z.unknown()).optional(),
    cacheTime: z.number(),
    cacheExpiry: z.number().optional(),
    processedCount: z.number(),
    processedTime: z.number().optional(),
  })
  .openapi('PendingOnDemandRequest');

const introspectionSchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    totalAdditions: z.number(),
    totalEvictions: z.number(),
    details: z.record(z.string(), z.unknown()).nullable(),
    lastError: z.string().nullable(),
    lastExecutionStartMs: z.number().nullable(),
    lastExecutionDurationMs: z.number().nullable(),
    lastExecutionStartDate: z.string().nullable(),
  })
  .openapi('AgentIntrospection');

/** One instrumentation record in Clouddriver's `AgentIntrospection` shape. */
export function agentIntrospection(record: AgentExecutionRecord): z.infer<typeof introspectionSchema> {
  return {
    id: record.agentType,
    provider: record.providerName,
    totalAdditions: record.totalAdditions,
    totalEvictions: record.totalEvictions,
    details: record.details ?? null,
    lastError: record.lastError ?? null,
    lastExecutionStartMs: record.lastStartMs ?? null,
    lastExecutionDurationMs: record.lastDurationMs ?? null,
    lastExecutionStartDate: record.lastStartMs === undefined ? null : new Date(record.lastStartMs).toISOString(),
  };
}

/**
 * `POST /cache/{cloudProvider}/{type}` (on-demand refresh: 202 while pending, 200 when applied or
 * not handled), `GET /cache/{cloudProvider}/{type}[?id=]` (pending records) and
 * `GET /cache/introspection` (the scheduler's per-agent records, newest start first).
 */
export function registerCacheRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  registerOnDemandServices(container);
  const updater = () => resolve(container, ON_DEMAND_CACHE_UPDATER);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/cache/introspection',
    summary: "Every scheduled agent's last run, newest start first",
    tags: ['cache'],
    response: z.array(introspectionSchema),
    handler: () =>
      resolve(container, AGENT_SCHEDULER)
        .instrumentation.list()
        .sort((a, b) => (b.lastStartMs ?? -1) - (a.lastStartMs ?? -1))
        .map(agentIntrospection),
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/cache/{cloudProvider}/{type}',
    summary: 'Refresh one resource on demand (202 while the next scheduled run has yet to process it)',
    tags: ['cache'],
    params: cacheParams,
    body: z.record(z.string(), z.unknown()).openapi('OnDemandRequest', { description: 'e.g. `{account, region, serverGroupName}`' }),
    response: z.object({ cachedIdentifiersByType: z.record(z.string(), z.array(z.string())) }).openapi('OnDemandResponse'),
    handler: async ({ params, body }) => {
      const result = await updater().handle(params.type, params.cloudProvider, body);
      return withStatus(result.status === 'PENDING' ? 202 : 200, { cachedIdentifiersByType: result.cachedIdentifiersByType });
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/cache/{cloudProvider}/{type}',
    summary: 'Pending on-demand records of a type (empty with an atomic scheduler)',
    tags: ['cache'],
    params: cacheParams,
    query: z.object({ id: z.string().min(1).optional().describe('Only the record for this resource key') }),
    response: z.array(pendingSchema),
    handler: ({ params, query }) => updater().pendingOnDemandRequests(params.type, params.cloudProvider, query.id),
  });
}
