import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { OPERATIONS_SERVICE, TASK_REPOSITORY, canReadTask, canWriteTask, renderTask, type CallerAccess } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { HttpError, defineRoute } from '../http/define-route.js';
import { asHttpErrors } from './ops-routes.js';

const statusSchema = z.object({
  phase: z.string(),
  status: z.string(),
  complete: z.boolean(),
  completed: z.boolean(),
  failed: z.boolean(),
  retryable: z.boolean(),
});

export const taskSchema = z
  .object({
    status: statusSchema,
    id: z.string(),
    history: z.array(z.object({ phase: z.string(), status: z.string() })).readonly(),
    resultObjects: z.array(z.record(z.string(), z.unknown())).readonly(),
    outputs: z.array(z.record(z.string(), z.unknown())).readonly(),
    startTimeMs: z.number(),
    requestId: z.string(),
    ownerId: z.string(),
    retryable: z.boolean(),
    sagaIds: z.array(z.unknown()).readonly(),
  })
  .openapi('Task', { description: "Clouddriver's task JSON as Orca reads it" });

const taskIdParams = z.object({ id: z.string().min(1) });

/**
 * `GET /task/{id}` (404 when unknown), `GET /task` (running tasks), `POST /task/{id}:resume` (re-run
 * a FAILED_RETRYABLE task), and Kubernetes' owner / mark-failed / restart flow under
 * `/{cloudProvider}/task/{id}`.
 */
export function registerTaskRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const tasks = () => resolve(container, TASK_REPOSITORY);
  // A task the caller may neither see nor change is answered like a missing one.
  const taskOr404 = async (id: string, access: CallerAccess) => {
    const task = await tasks().get(id);
    if (!task || !(canReadTask(access, task) || canWriteTask(access, task))) throw new HttpError(404, `Task not found (id: ${id})`);
    return task;
  };

  defineRoute(router, openapi, {
    method: 'get',
    path: '/task/{id}',
    summary: 'One task: status, history, result objects and outputs',
    tags: ['tasks'],
    params: taskIdParams,
    response: taskSchema,
    handler: async ({ params, access }) => renderTask(await taskOr404(params.id, access)),
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/task',
    summary: 'The running tasks the caller may read',
    tags: ['tasks'],
    response: z.array(taskSchema),
    handler: async ({ access }) => (await tasks().listRunning()).filter((task) => canReadTask(access, task)).map(renderTask),
  });

  // `{id}:resume` has a literal colon, which path-to-regexp 8 would read as a second parameter: the
  // express path escapes it, so this route is declared by hand rather than through defineRoute.
  openapi.registerPath({
    method: 'post',
    path: '/task/{id}:resume',
    summary: 'Run a FAILED_RETRYABLE task again under the same task',
    tags: ['tasks'],
    request: { params: taskIdParams },
    responses: {
      200: { description: 'The resumed task', content: { 'application/json': { schema: z.object({ id: z.string(), resourceUri: z.string() }) } } },
      400: { description: 'The task is not retryable' },
      404: { description: 'Unknown task, or its operations are not known to this server' },
    },
  });
  router.post('/task/:id\\:resume', async (req, res, next) => {
    try {
      const id = String((req.params as Record<string, string>).id);
      const access = callerAccessOf(req);
      res.json(await asHttpErrors(() => resolve(container, OPERATIONS_SERVICE).resume(id, access)));
    } catch (error) {
      next(error);
    }
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/{cloudProvider}/task/{id}/owner',
    summary: 'The server instance that owns a task',
    tags: ['tasks'],
    params: z.object({ cloudProvider: z.string().min(1), id: z.string().min(1) }),
    response: z.object({ name: z.string() }),
    handler: async ({ params, access }) => ({ name: (await taskOr404(params.id, access)).ownerId }),
  });

  defineRoute(router, openapi, {
    method: 'patch',
    path: '/{cloudProvider}/task/{id}',
    summary: "Mark a running task failed (Kubernetes' forced retry when its owner is gone)",
    tags: ['tasks'],
    params: z.object({ cloudProvider: z.string().min(1), id: z.string().min(1) }),
    body: z.object({ retry: z.boolean().default(false).describe('FAILED_RETRYABLE instead of FAILED') }),
    response: taskSchema,
    handler: async ({ params, body, access }) =>
      renderTask(await asHttpErrors(() => resolve(container, OPERATIONS_SERVICE).markFailed(params.id, body.retry, access))),
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/{cloudProvider}/task/{id}/restart',
    summary: 'Run the given operations again under a FAILED_RETRYABLE task',
    tags: ['tasks'],
    params: z.object({ cloudProvider: z.string().min(1), id: z.string().min(1) }),
    body: z.array(z.record(z.string(), z.record(z.string(), z.unknown()))),
    response: z.object({ id: z.string(), resourceUri: z.string() }),
    handler: ({ params, body, access }) => asHttpErrors(() => resolve(container, OPERATIONS_SERVICE).restart(params.id, params.cloudProvider, body, access)),
  });
}
