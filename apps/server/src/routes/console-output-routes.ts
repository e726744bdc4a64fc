import { INSTANCE_READ_SERVICE, PROVIDER_ROUTE_REGISTRY, appliesApplicationPermissions, canReadResourceApplication, type CallerAccess } from '@stratus/core';
import { callerAccessOf } from '../http/caller-access-middleware.js';
import type { ProviderRoute } from '@stratus/plugin-api';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolve } from '../di.js';
import { defineRoute, HttpError } from '../http/define-route.js';
import type { RegisterRoutes } from './route-module.js';

/** `/<cloudProvider>/instances/{account}/{region}/{instanceId}/console`: a provider's console output route. */
export const CONSOLE_ROUTE = /^\/([A-Za-z0-9-]+)\/instances\/\{[^}]+\}\/\{[^}]+\}\/\{[^}]+\}\/console$/;

/**
 * With Fiat: true when the cache knows the instance and it belongs to an application the caller may
 * not READ (its output is then as missing as the instance is from `/instances/…`). The lookup checks
 * accounts only, so an instance missing from the cache is left to the providers' own checks.
 */
export async function ofUnreadableApplication(
  container: DependencyContainer,
  caller: CallerAccess,
  params: { account: string; region: string; instanceId: string },
): Promise<boolean> {
  if (!appliesApplicationPermissions(caller) || !container.isRegistered(INSTANCE_READ_SERVICE, true)) return false;
  const accountsOnly: CallerAccess = {
    ...(caller.user !== undefined ? { user: caller.user } : {}),
    roles: caller.roles,
    canReadAccount: (account) => caller.canReadAccount(account),
    canWriteAccount: (account) => caller.canWriteAccount(account),
  };
  const instance = await resolve(container, INSTANCE_READ_SERVICE).get(accountsOnly, params.account, params.region, params.instanceId);
  return instance !== undefined && !canReadResourceApplication(caller, instance, { ownName: false });
}

/**
 * Clouddriver's `GET /instances/{account}/{region}/{id}/console[?provider=|cloudProvider=]` →
 * `{output}`: asks the named provider's console route (`/<provider>/instances/…/console`), or each
 * provider's in turn until one knows the instance; 404 when none does.
 */
export const registerConsoleOutputRoute: RegisterRoutes = (router, openapi, container) => {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/instances/{account}/{region}/{instanceId}/console',
    summary: "An instance's console output, from the provider that has it",
    tags: ['infrastructure'],
    params: z.object({ account: z.string(), region: z.string(), instanceId: z.string() }),
    query: z.object({ provider: z.string().optional(), cloudProvider: z.string().optional() }),
    // A string (AWS's console output) or one entry per container (Kubernetes), as Clouddriver answers.
    response: z.object({ output: z.union([z.string(), z.array(z.object({ name: z.string(), output: z.string() }).loose())]) }),
    handler: async ({ params, query, req }) => {
      const wanted = query.cloudProvider ?? query.provider;
      const routes: { cloudProvider: string; route: ProviderRoute }[] = [];
      if (container.isRegistered(PROVIDER_ROUTE_REGISTRY, true)) {
        for (const { route } of resolve(container, PROVIDER_ROUTE_REGISTRY).all()) {
          const match = route.method === 'get' ? CONSOLE_ROUTE.exec(route.path) : null;
          if (match && (!wanted || match[1] === wanted)) routes.push({ cloudProvider: match[1]!, route });
        }
      }
      const caller = callerAccessOf(req);
      if (await ofUnreadableApplication(container, caller, params)) throw new HttpError(404, `Instance not found (id: ${params.instanceId})`);
      for (const { route } of routes) {
        try {
          const response = await route.handle({ params, query: {}, body: undefined, caller });
          return response.body as { output: string | { name: string; output: string }[] };
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }
      throw new HttpError(404, `Instance not found (id: ${params.instanceId})`);
    },
  });
};
