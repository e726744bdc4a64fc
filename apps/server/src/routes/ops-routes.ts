import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  DEFAULT_OPERATION_LIMITS,
  OPERATIONS_SERVICE,
  OPERATION_LIMITS,
  OperationRequestError,
  TooManyOperationsError,
  type SubmitOperationsRequest,
} from '@stratus/core';
import type { Request, Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve, resolveOptional } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { HttpError, defineRoute } from '../http/define-route.js';

/** The idempotency header Orca sends (also accepted: `?clientRequestId=` and a `clientRequestId` in the body). */
export const REQUEST_ID_HEADER = 'x-spinnaker-request-id';

const startOperationSchema = z.object({ id: z.string(), resourceUri: z.string().describe('`/task/<id>`, to poll') }).openapi('StartOperationResult');

const descriptionSchema = z.record(z.string(), z.unknown()).openapi('OperationDescription', {
  description: 'An operation description, e.g. `{credentials, region, serverGroupName, capacity}`',
});
const operationsSchema = z
  .array(z.record(z.string(), descriptionSchema))
  .openapi('Operations', { description: 'A list of single-key maps `{ <operationName>: description }`, run in order in one task' });

const clientRequestQuery = z.object({
  clientRequestId: z.string().min(1).optional().describe('Idempotency key: the same id returns the same task'),
});

/**
 * The clientRequestId of a request: the query parameter, else the `X-Spinnaker-Request-Id` header,
 * else a `clientRequestId` field of the (first) description that has one.
 */
export function clientRequestIdOf(req: Request, query: { clientRequestId?: string | undefined }, body: unknown): string | undefined {
  if (query.clientRequestId) return query.clientRequestId;
  const header = req.headers[REQUEST_ID_HEADER];
  if (typeof header === 'string' && header.length > 0) return header;
  const descriptions = Array.isArray(body)
    ? body.flatMap((element) => (element && typeof element === 'object' ? Object.values(element as Record<string, unknown>) : []))
    : [body];
  for (const description of descriptions) {
    const id = description && typeof description === 'object' ? (description as Record<string, unknown>).clientRequestId : undefined;
    if (typeof id === 'string' && id.length > 0) return id;
  }
  return undefined;
}

/** Maps the operations service's request errors to their status with the `errors` list in the body. */
export async function asHttpErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof OperationRequestError) throw new HttpError(error.status, error.message, { errors: error.errors });
    throw error;
  }
}

/**
 * `POST /{cloudProvider}/ops`, `POST /{cloudProvider}/ops/{name}`, and the legacy `POST /ops` and
 * `POST /ops/{name}` (cloud provider from each description's `cloudProvider`). Each validates and
 * authorizes synchronously — 400 `{error, message, errors}` naming every bad field, 403 without WRITE,
 * no task either way — then answers `{id, resourceUri}` while the operations run.
 */
export function registerOpsRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const submit = (req: Request, request: Omit<SubmitOperationsRequest, 'access' | 'clientRequestId'>, query: { clientRequestId?: string | undefined }) =>
    asHttpErrors(() =>
      resolve(container, OPERATIONS_SERVICE).submit({
        ...request,
        clientRequestId: clientRequestIdOf(req, query, request.body),
        access: callerAccessOf(req),
      }),
    );
  const responses = { response: startOperationSchema, tags: ['operations'] };

  // The cap is checked before the body is validated, so an oversized list costs its JSON parse only.
  router.post(['/ops', '/:cloudProvider/ops'], (req, _res, next) => {
    const limit = resolveOptional(container, OPERATION_LIMITS)?.maxOperationsPerRequest ?? DEFAULT_OPERATION_LIMITS.maxOperationsPerRequest;
    if (Array.isArray(req.body) && req.body.length > limit) {
      const error = new TooManyOperationsError(req.body.length, limit);
      next(new HttpError(error.status, error.message, { errors: error.errors }));
      return;
    }
    next();
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/{cloudProvider}/ops',
    summary: 'Start operations of one cloud provider as a task',
    params: z.object({ cloudProvider: z.string().min(1) }),
    query: clientRequestQuery,
    body: operationsSchema,
    ...responses,
    handler: ({ params, query, body, req }) => submit(req, { cloudProvider: params.cloudProvider, body }, query),
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/{cloudProvider}/ops/{name}',
    summary: 'Start one operation (the body is its description) as a task',
    params: z.object({ cloudProvider: z.string().min(1), name: z.string().min(1) }),
    query: clientRequestQuery,
    body: descriptionSchema,
    ...responses,
    handler: ({ params, query, body, req }) => submit(req, { cloudProvider: params.cloudProvider, operationName: params.name, body }, query),
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/ops',
    summary: 'Deprecated: start operations; each description names its `cloudProvider`',
    query: clientRequestQuery,
    body: operationsSchema,
    ...responses,
    handler: ({ query, body, req }) => submit(req, { body }, query),
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/ops/{name}',
    summary: 'Deprecated: start one operation; the description names its `cloudProvider`',
    params: z.object({ name: z.string().min(1) }),
    query: clientRequestQuery,
    body: descriptionSchema,
    ...responses,
    handler: ({ params, query, body, req }) => submit(req, { operationName: params.name, body }, query),
  });
}
