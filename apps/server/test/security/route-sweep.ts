import type { Answer } from './matrix-client.js';

/**
 * The route sweep both authorization matrices run: every documented route, a URL for it aimed at
 * some target (or at a missing twin, `ghost`), and the checks on each answer.
 */

/** A documented operation: method, path template and its parameters. */
export interface Route {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
}

type Operation = { parameters?: { name: string; in: string }[]; responses?: Record<string, { content?: Record<string, unknown> }> };

/**
 * Every operation of `/openapi.json` except event streams (the console's `/console/events`): those
 * never end, so a request would wait forever, and carry no data of their own to leak.
 */
export async function documentedRoutes(call: (method: string, path: string, user: undefined) => Promise<Answer>): Promise<Route[]> {
  const document = (await call('get', '/openapi.json', undefined)).body as { paths: Record<string, Record<string, Operation>> };
  const streams = (operation: Operation) => Object.values(operation.responses ?? {}).some((response) => 'text/event-stream' in (response.content ?? {}));
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => !streams(operation))
      .map(([method, operation]) => ({ method, path, parameters: operation.parameters ?? [] })),
  );
}

/** The route's URL: each `{name}` filled by `value(name)` (encoded), then `query` (`?…` or empty). */
export function routeUrl(route: Route, value: (name: string) => string, query: string): string {
  return `${route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)))}${query}`;
}

/** A finding when the answer is a server error: no request of a sweep may answer 5xx. */
export function serverErrors(answer: Answer, where: string): string[] {
  return answer.status >= 500 ? [`5xx: ${where} -> ${answer.status} ${answer.text.slice(0, 200)}`] : [];
}

/** A finding per secret the answer shows that the request itself (`sent`: its URL and body) did not name. */
export function leaks(answer: Answer, where: string, sent: string, secrets: readonly string[], label = (secret: string) => secret): string[] {
  return secrets
    .filter((secret) => !sent.includes(secret) && answer.text.includes(secret))
    .map((secret) => `leak of ${label(secret)}: ${where} -> ${answer.status} ${answer.text.slice(0, 160)}`);
}
