import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { resolveOptional } from '../di.js';
import { assertAdmin } from '../http/admin-access.js';
import { defineRoute, HttpError } from '../http/define-route.js';
import { ActiveNamespaceError, NamespaceInUseError } from './cache-admin.js';
import { CACHE_NAMESPACE_ADMIN } from './cache-namespace-admin.js';

const params = z.object({ namespace: z.string().min(1).describe('A store namespace: a Redis key prefix or an SQL table namespace') });
const result = z
  .object({ namespace: z.string(), action: z.enum(['truncate', 'drop']), store: z.string(), removed: z.number() })
  .openapi('CacheNamespaceAdminResult');

/**
 * `PUT /admin/db/truncate/{namespace}` and `PUT /admin/db/drop/{namespace}` (Clouddriver's SQL admin
 * endpoints, for Redis too): empty or remove the cache of a store namespace other than the active
 * one, after a rebuild into a fresh namespace. The active namespace is refused with 409.
 */
export function registerAdminDbRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  for (const action of ['truncate', 'drop'] as const) {
    defineRoute(router, openapi, {
      method: 'put',
      path: `/admin/db/${action}/{namespace}`,
      summary: action === 'truncate' ? "Empty another store namespace's cache" : 'Remove another store namespace (refused while it holds tasks)',
      tags: ['admin'],
      params,
      response: result,
      handler: async ({ params: { namespace }, access }) => {
        const admin = resolveOptional(container, CACHE_NAMESPACE_ADMIN);
        if (!admin) throw new HttpError(404, 'cache namespace administration is not available in this server');
        assertAdmin(access, admin.adminRoles(), `/admin/db/${action}`);
        try {
          const store = admin.get();
          const removed = action === 'truncate' ? await store.truncate(namespace) : await store.drop(namespace);
          return { namespace, action, store: store.kind, removed };
        } catch (error) {
          if (error instanceof ActiveNamespaceError || error instanceof NamespaceInUseError) throw new HttpError(409, error.message);
          if (error instanceof ConfigError) throw new HttpError(400, error.message);
          throw error;
        }
      },
    });
  }
}
