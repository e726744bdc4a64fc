import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { SECURITY_GROUP_READ_SERVICE } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import { callerAccess, found, readService, textParam } from './read-support.js';
import { securityGroupSchema, securityGroupSummarySchema } from './read-schemas.js';

const name = z.string().min(1);
const summaries = z.array(securityGroupSummarySchema);
const byRegion = z.record(z.string(), summaries);
const byProvider = z.record(z.string(), byRegion);

/** `/securityGroups` and its per-account, per-provider and single-group variants. */
export function registerReadSecurityGroupRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const securityGroups = () => readService(container, SECURITY_GROUP_READ_SERVICE);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/securityGroups',
    summary: 'Security group summaries by account, cloud provider and region',
    tags: ['securityGroups'],
    response: z.record(z.string(), byProvider),
    handler: ({ req }) => securityGroups().all(callerAccess(container, req)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/securityGroups/{account}',
    summary: "One account's security group summaries: cloudProvider → region → summaries, or cloudProvider → summaries with `region`",
    tags: ['securityGroups'],
    params: z.object({ account: name }),
    query: z.object({ region: textParam }),
    response: z.union([byProvider, z.record(z.string(), summaries)]),
    handler: ({ params, query, req }) =>
      query.region === undefined
        ? securityGroups().forAccount(callerAccess(container, req), params.account)
        : securityGroups().forAccountInRegion(callerAccess(container, req), params.account, query.region),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/securityGroups/{account}/{cloudProvider}',
    summary: "One account's security group summaries of one cloud provider: region → summaries, or the summaries of `region`",
    tags: ['securityGroups'],
    params: z.object({ account: name, cloudProvider: name }),
    query: z.object({ region: textParam }),
    response: z.union([byRegion, summaries]),
    handler: ({ params, query, req }) =>
      query.region === undefined
        ? securityGroups().forAccountAndProvider(callerAccess(container, req), params.account, params.cloudProvider)
        : securityGroups().forAccountAndProviderInRegion(callerAccess(container, req), params.account, params.cloudProvider, query.region),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/securityGroups/{account}/{cloudProvider}/{name}',
    summary: 'The summaries of the security groups with this name, by region',
    tags: ['securityGroups'],
    params: z.object({ account: name, cloudProvider: name, name }),
    response: byRegion,
    handler: ({ params, req }) => securityGroups().byName(callerAccess(container, req), params.account, params.cloudProvider, params.name),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/securityGroups/{account}/{cloudProvider}/{region}/{nameOrId}',
    summary: 'One security group by name or id',
    tags: ['securityGroups'],
    params: z.object({ account: name, cloudProvider: name, region: name, nameOrId: name }),
    query: z.object({ vpcId: textParam }),
    response: securityGroupSchema,
    handler: async ({ params, query, req }) =>
      found(
        await securityGroups().get(callerAccess(container, req), params.account, params.cloudProvider, params.region, params.nameOrId, query.vpcId),
        `Security group '${params.nameOrId}' does not exist (account: ${params.account}, cloudProvider: ${params.cloudProvider}, region: ${params.region})`,
      ),
  });
}
