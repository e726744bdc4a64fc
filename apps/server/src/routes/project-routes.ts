import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { FRONT50_CLIENT, Front50Error, ProjectClustersService, READ_MODEL_REGISTRY } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve, resolveOptional } from '../di.js';
import { HttpError, defineRoute } from '../http/define-route.js';
import { callerAccess } from './read-support.js';

const instanceCountsSchema = z.object({
  total: z.number(),
  up: z.number(),
  down: z.number(),
  unknown: z.number(),
  outOfService: z.number(),
  starting: z.number(),
});

const projectClusterSchema = z
  .object({
    account: z.string(),
    stack: z.string().optional(),
    detail: z.string().optional(),
    instanceCounts: instanceCountsSchema,
    applications: z.array(
      z.object({
        application: z.string(),
        lastPush: z.number(),
        clusters: z.array(
          z.object({
            region: z.string(),
            lastPush: z.number(),
            instanceCounts: instanceCountsSchema,
            builds: z.array(
              z.object({
                host: z.string().optional(),
                job: z.string().optional(),
                buildNumber: z.string(),
                deployed: z.number(),
                images: z.array(z.unknown()),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .openapi('ProjectCluster');

/**
 * `GET /projects/{project}/clusters`: the project's clusters across its applications, the project
 * read from Front50 (`services.front50`). Without Front50 configured it is a 404 saying so.
 */
export function registerProjectRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/projects/{project}/clusters',
    summary: "A Front50 project's clusters: per application and region, instance counts and deployed builds",
    tags: ['projects'],
    params: z.object({ project: z.string().min(1) }),
    response: z.array(projectClusterSchema),
    handler: async ({ params, req }) => {
      const front50 = resolveOptional(container, FRONT50_CLIENT);
      if (!front50) {
        throw new HttpError(404, `Project not found (name: ${params.project}): projects live in Front50, and services.front50 is not enabled`);
      }
      const service = new ProjectClustersService(front50, resolve(container, READ_MODEL_REGISTRY));
      let clusters;
      try {
        clusters = await service.projectClusters(callerAccess(container, req), params.project);
      } catch (error) {
        if (error instanceof Front50Error) throw new HttpError(502, `Reading project ${params.project} from Front50 failed: ${error.message}`);
        throw error;
      }
      if (!clusters) throw new HttpError(404, `Project not found (name: ${params.project})`);
      return clusters;
    },
  });
}
