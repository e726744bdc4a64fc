import { NotFoundError, type CallerAccess } from '@stratus/core';
import type { Token } from '@stratus/plugin-api';
import type { Request } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { HttpError } from '../http/define-route.js';

/**
 * Shared pieces of the read route modules (`read-*-routes.ts`): the caller's access, typed service
 * lookup, Clouddriver-style query parameters and the 404 mapping.
 */

/** The caller's access, as the HTTP layer resolved it for this request (`container` is kept for the existing call sites). */
export function callerAccess(_container: DependencyContainer, req: Request): CallerAccess {
  return callerAccessOf(req);
}

/**
 * A read service by token, resolved per request. Routes never register services: the read services
 * module (`readServicesModule` in core) binds them.
 */
export function readService<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

/** Turns the services' {@link NotFoundError} into a 404 with its message. */
export async function orNotFound<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) throw new HttpError(404, error.message);
    throw error;
  }
}

/** The value, or a 404 with `message` when it is undefined. */
export function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new HttpError(404, message);
  return value;
}

/**
 * A boolean query parameter as Spring binds it: `true`/`false` in any case (also `1`/`0`),
 * `defaultValue` when absent; anything else is a 400 naming the parameter.
 */
export function booleanParam(defaultValue: boolean) {
  return z
    .string()
    .regex(/^(true|false|1|0)$/i, 'expected true or false')
    .optional()
    .transform((value) => (value === undefined ? defaultValue : /^(true|1)$/i.test(value)));
}

/**
 * A list query parameter: comma-separated (`a,b`) and/or repeated (`x=a&x=b`), trimmed, blanks
 * dropped. Absent stays undefined; present but empty is `[]` (Clouddriver's `clusters=` → nothing).
 */
export const listParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    value === undefined
      ? undefined
      : (Array.isArray(value) ? value : [value])
          .flatMap((item) => item.split(','))
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
  );

/** An optional single-valued text parameter (a repeated one is a 400). */
export const textParam = z.string().min(1).optional();
