import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ZodError } from 'zod';
import { HttpError, describeZodError } from './define-route.js';

/** Clouddriver's error body: `{error, message, status}` plus whatever the error adds (`errors`, …). */
export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { error: STATUS_CODES[status] ?? 'Error', message, status, ...extra };
}

/** Answers 404 in the error shape for paths no route matched. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 404, `No handler for ${req.method} ${req.path}`);
};

/** Sends the error body and keeps its message for the request log line (4xx lines name what was wrong). */
function sendError(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  res.locals.errorMessage = message;
  res.status(status).json(errorBody(status, message, extra));
}

/**
 * Maps thrown errors to responses: `HttpError` keeps its status and body, zod errors and bad JSON
 * become 400s naming the field, errors carrying a 4xx `status` (body-parser's) keep it, a store
 * that is down (`statusCode` 503) is a 503, and everything else is a 500 whose details go to the log, not to the client.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HttpError) {
    sendError(res, error.status, error.message, error.body);
    return;
  }
  if (error instanceof ZodError) {
    const errors = describeZodError(error, 'body');
    sendError(res, 400, `Invalid request: ${errors.join('; ')}`, { errors });
    return;
  }
  const status = typeof error?.status === 'number' ? error.status : typeof error?.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message = error?.type === 'entity.parse.failed' ? `body: malformed JSON (${error.message})` : String(error?.message ?? 'Bad request');
    sendError(res, status, message);
    return;
  }
  if (status === 503) {
    // A store that is down (Redis, SQL): say so, so clients retry instead of treating it as a bug.
    (req as { log?: { warn(obj: unknown, msg?: string): void } }).log?.warn({ err: error }, 'store unavailable');
    sendError(res, 503, String(error?.message ?? 'Service unavailable'));
    return;
  }
  (req as { log?: { error(obj: unknown, msg?: string): void } }).log?.error({ err: error }, 'request failed');
  res.status(500).json(errorBody(500, 'Internal server error; see the server log for the request id'));
};
