import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { READ_MODEL_REGISTRY } from '@stratus/core';
import type { ReadModelKind } from '@stratus/plugin-api';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { defineRoute } from '../http/define-route.js';
import { callerAccess } from './read-support.js';

/** What a provider registers as its `serverGroupManagers` read model (Clouddriver's `ServerGroupManagerProvider`). */
interface ServerGroupManagerModel {
  getServerGroupManagersByApplication(application: string): Promise<readonly Record<string, unknown>[]>;
}

function isServerGroupManagerModel(model: unknown): model is ServerGroupManagerModel {
  return typeof (model as ServerGroupManagerModel | undefined)?.getServerGroupManagersByApplication === 'function';
}

/**
 * `GET /applications/{application}/serverGroupManagers` (Clouddriver's
 * `ServerGroupManagerController`), provider-independent: the managers (Kubernetes Deployments and
 * the like) of every provider that registered a `serverGroupManagers` read model with
 * `getServerGroupManagersByApplication`, those of accounts the caller cannot READ left out. A
 * provider that fails is skipped, as Clouddriver logs and skips it; with no such provider the
 * answer is `[]`, which is what Deck shows for clouds without managers.
 */
export function registerServerGroupManagerRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/applications/{application}/serverGroupManagers',
    summary: "The application's server group managers (e.g. Kubernetes Deployments), from every provider that has them",
    tags: ['serverGroupManagers'],
    params: z.object({ application: z.string().min(1) }),
    response: z.array(z.record(z.string(), z.unknown()).describe('`{name, account, region, cloudProvider, moniker, serverGroups, …}`')),
    handler: async ({ params, req }) => {
      const access = callerAccess(container, req);
      const models = resolve(container, READ_MODEL_REGISTRY)
        .all('serverGroupManagers' as ReadModelKind)
        .map(({ model }) => model as unknown)
        .filter(isServerGroupManagerModel);
      const lists = await Promise.all(
        models.map((model) =>
          model.getServerGroupManagersByApplication(params.application).then(
            (managers) => managers,
            (error: unknown) => {
              (req as { log?: { warn(obj: unknown, msg?: string): void } }).log?.warn({ err: error }, 'Failed to read server group managers');
              return [];
            },
          ),
        ),
      );
      return lists.flat().filter((manager) => typeof manager.account === 'string' && access.canReadAccount(manager.account));
    },
  });
}
