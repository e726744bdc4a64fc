import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { SERVER_GROUP_READ_SERVICE, canAccessApplication, type ServerGroupId } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { HttpError, defineRoute } from '../http/define-route.js';
import { booleanParam, callerAccess, found, listParam, readService, textParam } from './read-support.js';
import { serverGroupSchema, serverGroupSummarySchema } from './read-schemas.js';

const name = z.string().min(1);

/** `acct:cluster` pairs of `?clusters=`; a malformed pair is a 400 naming it. */
const clustersParam = listParam.transform((pairs, ctx) =>
  pairs?.map((pair) => {
    const [account, cluster, ...rest] = pair.split(':');
    if (!account || !cluster || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected account:cluster, got "${pair}"` });
      return { account: '', cluster: '' };
    }
    return { account, cluster };
  }),
);

/** `account:region:name` ids of `?ids=`. */
const idsParam = listParam.transform((ids, ctx) =>
  ids?.map((id): ServerGroupId => {
    const [account, region, serverGroup, ...rest] = id.split(':');
    if (!account || !region || !serverGroup || rest.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected account:region:name, got "${id}"` });
      return { account: '', region: '', name: '' };
    }
    return { account, region, name: serverGroup };
  }),
);

/** `/applications/{application}/serverGroups`, `/serverGroups/{account}/{region}/{name}` and `/serverGroups?ids|applications=`. */
export function registerReadServerGroupRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const serverGroups = () => readService(container, SERVER_GROUP_READ_SERVICE);
  const notFound = (account: string, region: string, serverGroup: string) =>
    `Server group not found (account: ${account}, region: ${region}, name: ${serverGroup})`;

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/serverGroups',
    summary: "An application's server groups: summaries, or full objects with expand=true",
    tags: ['serverGroups'],
    params: z.object({ application: name }),
    query: z.object({
      expand: booleanParam(false),
      cloudProvider: textParam,
      clusters: clustersParam.describe('`account:cluster` pairs, comma-separated; empty yields []'),
    }),
    response: z.array(serverGroupSummarySchema),
    handler: ({ params, query, req }) =>
      serverGroups().listForApplication(callerAccess(container, req), params.application, {
        expand: query.expand,
        cloudProvider: query.cloudProvider,
        clusters: query.clusters,
      }) as Promise<z.infer<typeof serverGroupSummarySchema>[]>,
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/serverGroups/{account}/{region}/{serverGroup}',
    summary: 'One server group with details',
    tags: ['serverGroups'],
    params: z.object({ application: name, account: name, region: name, serverGroup: name }),
    response: serverGroupSchema,
    handler: async ({ params, req }) =>
      found(
        await serverGroups().get(callerAccess(container, req), params.account, params.region, params.serverGroup),
        notFound(params.account, params.region, params.serverGroup),
      ),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/serverGroups/{account}/{region}/{serverGroup}',
    summary: 'One server group with details',
    tags: ['serverGroups'],
    params: z.object({ account: name, region: name, serverGroup: name }),
    response: serverGroupSchema,
    handler: async ({ params, access }) => {
      const group = await serverGroups().get(access, params.account, params.region, params.serverGroup);
      // As Clouddriver's post-authorization: with Fiat, the group's application needs READ too.
      const app = (group as { moniker?: { app?: unknown } } | undefined)?.moniker?.app;
      const visible = group && (typeof app !== 'string' || canAccessApplication(access, app, 'READ')) ? group : undefined;
      return found(visible, notFound(params.account, params.region, params.serverGroup));
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/serverGroups',
    summary: 'Server groups by id (full objects) or the summaries of several applications',
    tags: ['serverGroups'],
    query: z.object({
      ids: idsParam.describe('`account:region:name` ids, comma-separated'),
      applications: listParam.describe('Application names, comma-separated'),
      cloudProvider: textParam,
    }),
    response: z.array(z.union([serverGroupSchema, serverGroupSummarySchema])),
    handler: async ({ query, req }) => {
      const access = callerAccess(container, req);
      if ((query.ids === undefined) === (query.applications === undefined)) {
        throw new HttpError(400, "Provide either 'ids' or 'applications' (but not both)", { errors: ['ids: or applications is required, not both'] });
      }
      if (query.ids) {
        return (await serverGroups().getByIds(access, query.ids)).filter((group) => {
          const app = (group as { moniker?: { app?: unknown } }).moniker?.app;
          return typeof app !== 'string' || canAccessApplication(access, app, 'READ');
        });
      }
      const readable = query.applications!.filter((application) => canAccessApplication(access, application, 'READ'));
      return serverGroups().listForApplications(access, readable, query.cloudProvider) as Promise<z.infer<typeof serverGroupSummarySchema>[]>;
    },
  });
}
