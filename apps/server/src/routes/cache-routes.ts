import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  AGENT_SCHEDULER,
  ON_DEMAND_CACHE_UPDATER,
  applicationOfResource,
  canAccessApplication,
  canReadAccountData,
  canReadResourceApplication,
  type AgentExecutionRecord,
  type CallerAccess,
} from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { HttpError, defineRoute, withStatus } from '../http/define-route.js';

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

/** The account an on-demand request names (`account`, `credentials` or `accountName`, as providers read it). */
function accountOfOnDemandRequest(body: Record<string, unknown>): string | undefined {
  for (const field of ['account', 'credentials', 'accountName']) {
    const value = body[field];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/**
 * The application an on-demand request is about (Fiat): its `moniker.app` or `application`, else the
 * Frigga prefix of the server group, load balancer or cluster it names.
 */
function applicationOfOnDemandRequest(body: Record<string, unknown>): string | undefined {
  const named = ['serverGroupName', 'loadBalancerName', 'clusterName'].map((field) => body[field]).find((value) => typeof value === 'string' && value);
  return applicationOfResource({ moniker: body.moniker, application: body.application, ...(typeof named === 'string' ? { name: named } : {}) });
}

/** An agent's record is the caller's to see when its account is (the agent type starts with `<account>/` otherwise). */
export function canSeeAgentRecord(access: CallerAccess, record: AgentExecutionRecord): boolean {
  return canReadAccountData(access, record.accountName);
}

/**
 * `GET /cache/introspection`: the scheduler's per-agent records, newest start first, of the agents
 * whose account the caller may read (all of them on the management port).
 */
export function registerCacheIntrospectionRoute(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/cache/introspection',
    summary: 'The last run of every scheduled agent whose account the caller may read, newest start first',
    tags: ['cache'],
    response: z.array(introspectionSchema),
    handler: ({ access }) =>
      resolve(container, AGENT_SCHEDULER)
        .instrumentation.list()
        .filter((record) => canSeeAgentRecord(access, record))
        .sort((a, b) => (b.lastStartMs ?? -1) - (a.lastStartMs ?? -1))
        .map(agentIntrospection),
  });
}

/**
 * `POST /cache/{cloudProvider}/{type}` (on-demand refresh: 202 while pending, 200 when applied or
 * not handled), `GET /cache/{cloudProvider}/{type}[?id=]` (pending records) and
 * `GET /cache/introspection` (the scheduler's per-agent records, newest start first).
 */
export function registerCacheRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const updater = () => resolve(container, ON_DEMAND_CACHE_UPDATER);

  registerCacheIntrospectionRoute(router, openapi, container);

  defineRoute(router, openapi, {
    method: 'post',
    path: '/cache/{cloudProvider}/{type}',
    summary: 'Refresh one resource on demand (202 while the next scheduled run has yet to process it)',
    tags: ['cache'],
    params: cacheParams,
    body: z.record(z.string(), z.unknown()).openapi('OnDemandRequest', { description: 'e.g. `{account, region, serverGroupName}`' }),
    response: z.object({ cachedIdentifiersByType: z.record(z.string(), z.array(z.string())) }).openapi('OnDemandResponse'),
    handler: async ({ params, body, access }) => {
      // Clouddriver lets anyone refresh anything; here a refresh needs READ on the account it names.
      const account = accountOfOnDemandRequest(body);
      if (account !== undefined && !access.canReadAccount(account)) {
        throw new HttpError(403, `Access denied: refreshing needs READ on account ${account}, or the account does not exist`, {
          errors: [`account: no READ on ${account}`],
        });
      }
      // With Fiat, the application's resources need READ on it too: refused like an unreadable account.
      const application = applicationOfOnDemandRequest(body);
      if (application !== undefined && !access.admin && !canAccessApplication(access, application, 'READ')) {
        throw new HttpError(403, `Access denied: refreshing needs READ on application ${application}, or the application does not exist`, {
          errors: [`application: no READ on ${application}`],
        });
      }
      const result = await updater().handle(params.type, params.cloudProvider, body, (name) => access.canReadAccount(name));
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
    handler: async ({ params, query, access }) =>
      (await updater().pendingOnDemandRequests(params.type, params.cloudProvider, query.id, (name) => access.canReadAccount(name))).filter(
        (record) =>
          canReadAccountData(access, typeof record.details?.account === 'string' ? record.details.account : undefined) &&
          canReadResourceApplication(access, { ...record.details, ...(record.moniker ? { moniker: record.moniker } : {}) }, { ownName: false }),
      ),
  });
}
