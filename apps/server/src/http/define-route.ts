import { type OpenAPIRegistry, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { canAccessApplication, type CallerAccess } from '@stratus/core';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { z, type ZodType } from 'zod';
import { callerAccessOf } from './caller-access-middleware.js';
import { streamsAsJsonArray, writeJsonArray } from './json-array-stream.js';

extendZodWithOpenApi(z);

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** An error a handler throws to answer with a status and a Clouddriver-style error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RouteSpec<P extends ZodType, Q extends ZodType, B extends ZodType, R extends ZodType> {
  readonly method: HttpMethod;
  /** OpenAPI-style path: `/applications/{application}/clusters`. */
  readonly path: string;
  readonly summary: string;
  readonly tags?: string[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** The success response schema (documented; not enforced at runtime). */
  readonly response: R;
  /** Status of a normal answer (default 200). */
  readonly successStatus?: number;
  /**
   * The handler. `access` is the caller's, resolved once by the HTTP layer: a handler shows only
   * what it may read and changes only what it may write (docs/threat-model.md).
   */
  readonly handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    req: Request;
    res: Response;
    access: CallerAccess;
  }) => Promise<z.infer<R> | HandlerResult<z.infer<R>>> | z.infer<R> | HandlerResult<z.infer<R>>;
}

/** Lets a handler pick the status per call (e.g. 202 vs 200 for on-demand refreshes). */
export interface HandlerResult<T> {
  readonly __status: number;
  readonly body: T;
}

export function withStatus<T>(status: number, body: T): HandlerResult<T> {
  return { __status: status, body };
}

function isHandlerResult(value: unknown): value is HandlerResult<unknown> {
  return typeof value === 'object' && value !== null && '__status' in value;
}

/** `/a/{b}/c` → `/a/:b/c` (express 5 / path-to-regexp 8 syntax). */
export function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Formats zod issues as `field: reason` strings naming the offending field. */
export function describeZodError(error: z.ZodError, where: string): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : where;
    return `${field}: ${issue.message}`;
  });
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used: the default schema of a route's params and query
const NO_INPUT = z.object({}).passthrough();

/**
 * The check every route makes on its path before its handler runs: a path naming an
 * `{application}` (or `{app}`) the caller may not READ (WRITE for changes; application permissions come from
 * Fiat) answers 404 as if it did not exist. Accounts are left to the handlers, which answer for an
 * unreadable account exactly as for a missing one (404, or an empty list where Clouddriver answers one).
 */
export function assertPathAccess(method: HttpMethod, params: Record<string, unknown>, access: CallerAccess): void {
  // `{app}` names the application too (jobs, Kubernetes cluster manifests).
  for (const application of [params.application, params.app]) {
    if (typeof application === 'string' && !canAccessApplication(access, application, method === 'get' ? 'READ' : 'WRITE')) {
      throw new HttpError(404, `Application not found (name: ${application})`);
    }
  }
}

/**
 * `res.json` without its per-response settings lookups and content-type parse: the body goes to
 * `res.send` as a Buffer with its full content type already set (express still adds the ETag and
 * answers `If-None-Match`). `undefined` keeps express's own handling.
 */
export function sendJson(res: Response, value: unknown): void {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) {
    res.json(value);
    return;
  }
  if (!res.hasHeader('Content-Type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(Buffer.from(text));
}

/** `value` checked by `schema` (as is without one); undefined, with the bad fields in `errors`, when invalid. */
function parseInput(schema: ZodType | undefined, value: unknown, where: string, errors: string[]): unknown {
  if (!schema) return value ?? {};
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!parsed.success) {
    errors.push(...describeZodError(parsed.error, where));
    return undefined;
  }
  return parsed.data;
}

/**
 * Declares one route: registers it in the OpenAPI registry (so `/openapi.json` is generated from the
 * same schemas) and mounts an express handler that validates params, query and body with them,
 * answering 400 with every bad field named before the handler runs.
 */
export function defineRoute<P extends ZodType = typeof NO_INPUT, Q extends ZodType = typeof NO_INPUT, B extends ZodType = ZodType, R extends ZodType = ZodType>(
  router: Router,
  registry: OpenAPIRegistry,
  spec: RouteSpec<P, Q, B, R>,
): void {
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.tags !== undefined ? { tags: spec.tags } : {}),
    request: {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod-to-openapi and the handler's inferred z.infer types cannot be related to a generic ZodType parameter; the schemas were just parsed
      ...(spec.params ? { params: spec.params as any } : {}),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod-to-openapi and the handler's inferred z.infer types cannot be related to a generic ZodType parameter; the schemas were just parsed
      ...(spec.query ? { query: spec.query as any } : {}),
      ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses: {
      [spec.successStatus ?? 200]: { description: 'OK', content: { 'application/json': { schema: spec.response } } },
      400: { description: 'Invalid request: every bad field is named' },
    },
  });

  // Most GETs come without a query string: its parse (zod, plus express's query parser) is done once.
  const emptyQuery = spec.query?.safeParse({});
  const respond = (res: Response, result: unknown): Promise<void> | undefined => {
    if (res.headersSent) return undefined;
    const status = isHandlerResult(result) ? result.__status : (spec.successStatus ?? 200);
    const answer = isHandlerResult(result) ? result.body : result;
    // Big lists (an application's server groups, clusters) are serialised item by item to the socket.
    if (streamsAsJsonArray(res, answer)) return writeJsonArray(res, status, answer);
    sendJson(res.status(status), answer);
    return undefined;
  };
  // Not an async function: a synchronous handler's answer goes out in this turn, with no promise
  // (nor microtask) per request; a promise, when there is one, ends in `next(error)` on failure.
  const handler: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    try {
      const errors: string[] = [];
      const params = parseInput(spec.params, req.params, 'params', errors);
      const query =
        emptyQuery?.success === true && !req.url.includes('?')
          ? { ...(emptyQuery.data as Record<string, unknown>) } // a copy: a handler may change its own
          : parseInput(spec.query, req.query, 'query', errors);
      const body = parseInput(spec.body, req.body, 'body', errors);
      if (errors.length > 0) {
        res.status(400).json({ error: 'Bad Request', message: `Invalid request: ${errors.join('; ')}`, errors, status: 400 });
        return;
      }
      const access = callerAccessOf(req);
      assertPathAccess(spec.method, params as Record<string, unknown>, access);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod-to-openapi and the handler's inferred z.infer types cannot be related to a generic ZodType parameter; the schemas were just parsed
      const returned = spec.handler({ params: params as any, query: query as any, body: body as any, req, res, access });
      const done = returned instanceof Promise ? returned.then((result) => respond(res, result)) : respond(res, returned);
      done?.catch(next);
    } catch (error) {
      next(error);
    }
  };
  router[spec.method](toExpressPath(spec.path), handler);
}
