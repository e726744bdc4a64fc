import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { CLUSTER_READ_SERVICE } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import { booleanParam, callerAccess, orNotFound, readService, textParam } from './read-support.js';
import { clusterSchema, loadBalancerSchema, monikerSchema, serverGroupSchema } from './read-schemas.js';

const name = z.string().min(1);
const base = { application: name, account: name };

/** The cluster endpoints under `/applications/{application}/clusters`, including target server groups. */
export function registerReadClusterRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  registerClusterRoutes(router, openapi, container);
  registerClusterServerGroupRoutes(router, openapi, container);
}

/** Clusters and their load balancers: `…/clusters[/{account}[/{cluster}[/{type}[/loadBalancers]]]]`. */
function registerClusterRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const clusters = () => readService(container, CLUSTER_READ_SERVICE);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters',
    summary: 'Cluster names of an application by account',
    tags: ['clusters'],
    params: z.object({ application: name }),
    response: z.record(z.string(), z.array(z.string())),
    handler: ({ params, req }) => clusters().clusterNamesByAccount(callerAccess(container, req), params.application),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}',
    summary: "An application's clusters in one account (names of their server groups and load balancers)",
    tags: ['clusters'],
    params: z.object(base),
    response: z.array(
      z.object({ name: z.string(), account: z.string(), moniker: monikerSchema, loadBalancers: z.array(z.string()), serverGroups: z.array(z.string()) }),
    ),
    handler: ({ params, req }) => orNotFound(() => clusters().clustersForAccount(callerAccess(container, req), params.application, params.account)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}',
    summary: 'A cluster as every provider that has it describes it',
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name }),
    query: z.object({ expand: booleanParam(true) }),
    response: z.array(clusterSchema),
    handler: ({ params, query, req }) =>
      orNotFound(() => clusters().clusters(callerAccess(container, req), params.application, params.account, params.cluster, query.expand)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{type}',
    summary: 'One cluster of one cloud provider',
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, type: name }),
    query: z.object({ expand: booleanParam(true) }),
    response: clusterSchema,
    handler: ({ params, query, req }) =>
      orNotFound(() => clusters().cluster(callerAccess(container, req), params.application, params.account, params.cluster, params.type, query.expand)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{type}/loadBalancers',
    summary: "A cluster's load balancers",
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, type: name }),
    response: z.array(loadBalancerSchema),
    handler: ({ params, req }) =>
      orNotFound(async () => [
        ...(await clusters().cluster(callerAccess(container, req), params.application, params.account, params.cluster, params.type, false)).loadBalancers,
      ]),
  });
}

/** A cluster's server groups: `…/{type}/serverGroups[/{serverGroup}]` and the target server group lookups. */
function registerClusterServerGroupRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const clusters = () => readService(container, CLUSTER_READ_SERVICE);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{type}/serverGroups',
    summary: "A cluster's server groups, optionally in one region",
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, type: name }),
    query: z.object({ region: textParam }),
    response: z.array(serverGroupSchema),
    handler: ({ params, query, req }) =>
      orNotFound(() => clusters().serverGroups(callerAccess(container, req), params.application, params.account, params.cluster, params.type, query.region)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{type}/serverGroups/{serverGroup}',
    summary: 'A server group of a cluster: one object with `region`, else a list (one per region)',
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, type: name, serverGroup: name }),
    query: z.object({ region: textParam }),
    response: z.union([serverGroupSchema, z.array(serverGroupSchema)]),
    handler: ({ params, query, req }) =>
      orNotFound(() =>
        clusters().serverGroup(callerAccess(container, req), params.application, params.account, params.cluster, params.type, params.serverGroup, query.region),
      ),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{cloudProvider}/{scope}/serverGroups/target/{target}',
    summary: 'The server group a target names (current, previous, oldest, largest, fail) in a region or zone',
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, cloudProvider: name, scope: name.describe('A region or a zone'), target: name }),
    query: z.object({
      onlyEnabled: booleanParam(false).describe('Only enabled server groups are candidates'),
      validateOldest: booleanParam(true).describe('`oldest` needs at least two candidates'),
    }),
    response: serverGroupSchema,
    handler: ({ params, query, req }) =>
      orNotFound(() =>
        clusters().targetServerGroup(callerAccess(container, req), {
          application: params.application,
          account: params.account,
          cluster: params.cluster,
          cloudProvider: params.cloudProvider,
          scope: params.scope,
          target: params.target,
          onlyEnabled: query.onlyEnabled,
          validateOldest: query.validateOldest,
        }),
      ),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/clusters/{account}/{cluster}/{cloudProvider}/{scope}/serverGroups/target/{target}/{summaryType}',
    summary: 'A summary of the target server group: `image` → its imageSummary, `images` → its imagesSummary',
    tags: ['clusters'],
    params: z.object({ ...base, cluster: name, cloudProvider: name, scope: name, target: name, summaryType: name }),
    query: z.object({ onlyEnabled: booleanParam(false) }),
    response: z.record(z.string(), z.unknown()),
    handler: ({ params, query, req }) =>
      orNotFound(() =>
        clusters().targetServerGroupSummary(
          callerAccess(container, req),
          {
            application: params.application,
            account: params.account,
            cluster: params.cluster,
            cloudProvider: params.cloudProvider,
            scope: params.scope,
            target: params.target,
            onlyEnabled: query.onlyEnabled,
            validateOldest: false,
          },
          params.summaryType,
        ),
      ),
  });
}
