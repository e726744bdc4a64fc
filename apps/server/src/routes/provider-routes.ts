import {
  ACCOUNT_LOOKUP,
  PROVIDER_ROUTE_REGISTRY,
  appliesApplicationPermissions,
  canAccessApplication,
  type CallerAccess,
  type RegisteredProviderRoute,
} from '@stratus/core';
import { RouteError, type ProviderRouteRequest } from '@stratus/plugin-api';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { resolve } from '../di.js';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import { HttpError, assertPathAccess, toExpressPath } from '../http/define-route.js';
import { CONSOLE_ROUTE, ofUnreadableApplication } from './console-output-routes.js';
import type { RegisterRoutes } from './route-module.js';

/**
 * Mounts the routes providers registered (`ProviderContext.registerRoutes`): Kubernetes manifests,
 * AWS image lookup and the like. They come first so a provider's literal path wins over a generic
 * parametric one, and each is documented in `/openapi.json` with its path parameters.
 */
export const registerProviderRoutes: RegisterRoutes = (router, openapi, container) => {
  if (!container.isRegistered(PROVIDER_ROUTE_REGISTRY, true)) return;
  const registry = resolve(container, PROVIDER_ROUTE_REGISTRY);
  // Routes of several providers with the same method and path shape share it by account (the registry
  // only lets per-account paths be shared): one handler picks the route of the account's provider.
  const groups = new Map<string, RegisteredProviderRoute[]>();
  for (const registered of registry.all()) {
    const key = `${registered.route.method} ${registered.route.path.replace(/\{[^}]+\}/g, '{}')}`;
    groups.set(key, [...(groups.get(key) ?? []), registered]);
  }
  for (const group of groups.values()) {
    const [{ route }] = group as [RegisteredProviderRoute];
    const paramNames = paramNamesOf(route.path);
    openapi.registerPath({
      method: route.method,
      path: route.path,
      summary: group.map((g) => g.route.summary ?? `${g.providerId} provider route`).join(group.length > 1 ? ' | ' : ''),
      tags: group.map((g) => g.providerId),
      request: paramNames.length > 0 ? { params: z.object(Object.fromEntries(paramNames.map((name) => [name, z.string()]))) } : {},
      responses: { 200: { description: 'Provider-specific JSON' } },
    });
    const handler: RequestHandler = async (req, res, next) => {
      try {
        const access = callerAccessOf(req);
        const params = req.params as Record<string, string>;
        assertPathAccess(route.method, params, access);
        const chosen = group.length === 1 ? group[0]! : ownerOf(group, params.account);
        if (!chosen) throw new RouteError(404, `Account not found: ${params.account}`);
        const request: ProviderRouteRequest = {
          params: renameParams(params, paramNames, paramNamesOf(chosen.route.path)),
          query: req.query as ProviderRouteRequest['query'],
          body: req.body,
          caller: access,
        };
        // A provider's own console output route answers for an instance id: the instance's application decides.
        if (CONSOLE_ROUTE.test(chosen.route.path)) {
          const { account, region, instanceId } = request.params;
          if (account && region && instanceId && (await ofUnreadableApplication(container, access, { account, region, instanceId }))) {
            throw new HttpError(404, `Instance not found (id: ${instanceId})`);
          }
        }
        const response = await chosen.route.handle(request);
        // Reads only: a change the route made is the route's to permit (it has the caller's WRITE checks).
        const body = route.method === 'get' ? readableBody(access, response.body) : response.body;
        if (body === HIDDEN) throw new HttpError(404, `Not found (${Object.values(params).join('/')})`);
        res.status(response.status ?? 200).json(body ?? null);
      } catch (error) {
        next(error);
      }
    };
    router[route.method](toExpressPath(route.path), handler);
  }

  /** The route of the provider whose accounts include `account`. */
  function ownerOf(group: readonly RegisteredProviderRoute[], account: string | undefined): RegisteredProviderRoute | undefined {
    const cloudProvider = account && container.isRegistered(ACCOUNT_LOOKUP, true) ? resolve(container, ACCOUNT_LOOKUP).get(account)?.cloudProvider : undefined;
    return cloudProvider === undefined ? undefined : group.find((g) => g.providerId === cloudProvider);
  }
};

function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
}

/** The values of the mounted path's parameters under the chosen route's own names (same positions). */
function renameParams(params: Record<string, string>, mounted: readonly string[], own: readonly string[]): Record<string, string> {
  const renamed: Record<string, string> = { ...params };
  mounted.forEach((name, i) => {
    if (own[i] !== undefined && params[name] !== undefined) renamed[own[i]!] = params[name]!;
  });
  return renamed;
}

const HIDDEN = Symbol('hidden');

/** The application an item of a provider's answer names outright (`moniker.app` or `application`). */
function declaredApplicationOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const { moniker, application } = item as { moniker?: { app?: unknown }; application?: unknown };
  if (moniker && typeof moniker.app === 'string' && moniker.app) return moniker.app;
  return typeof application === 'string' && application ? application : undefined;
}

/**
 * With Fiat, a provider route's answer without what the caller may not READ (Kubernetes manifests
 * carry their moniker): a single item of such an application is {@link HIDDEN} (a 404), a list loses
 * those items. Without application permissions the answer is untouched.
 */
function readableBody(access: CallerAccess, body: unknown): unknown {
  if (!appliesApplicationPermissions(access)) return body;
  const readable = (item: unknown) => {
    const application = declaredApplicationOf(item);
    return application === undefined || canAccessApplication(access, application, 'READ');
  };
  if (Array.isArray(body)) return body.filter(readable);
  return readable(body) ? body : HIDDEN;
}
