import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { ACCOUNT_SERVICE } from '../accounts/account-service.js';
import { CredentialsListCache } from '../accounts/credentials-list-cache.js';
import { resolve } from '../di.js';
import { HttpError, defineRoute } from '../http/define-route.js';

const booleanFlag = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => value === 'true');

const accountSchema = z
  .looseObject({
    name: z.string(),
    environment: z.string(),
    accountType: z.string(),
    cloudProvider: z.string(),
    type: z.string(),
    requiredGroupMembership: z.array(z.string()),
    permissions: z.object({ READ: z.array(z.string()), WRITE: z.array(z.string()) }),
    accountId: z.string().optional(),
    challengeDestructiveActions: z.boolean(),
    primaryAccount: z.boolean(),
  })
  .openapi('Account');

const definitionSchema = z
  .looseObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore, starting with a letter or digit'),
    type: z.string().min(1, 'the cloud provider of the account, e.g. kubernetes'),
  })
  .describe("An account definition: name, type (the cloud provider) and the provider's account fields")
  .openapi('AccountDefinition');

/**
 * `GET /credentials[?expand=true]`, `/credentials/{name}`, `/credentials/type/{type}` with
 * Clouddriver's fields (only accounts the caller may READ), and the account storage API
 * `POST/PUT /credentials`, `DELETE /credentials/{name}` when `account.storage.enabled`. Deck and Gate
 * poll `GET /credentials`: its serialised list (and ETag) is reused per access until an account changes.
 */
export function registerCredentialsRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  const service = () => resolve(container, ACCOUNT_SERVICE);
  const listCache = new CredentialsListCache();

  defineRoute(router, openapi, {
    method: 'get',
    path: '/credentials',
    summary: 'Accounts the caller may read; expand=true returns every field',
    tags: ['credentials'],
    query: z.object({ expand: booleanFlag }),
    response: z.array(accountSchema),
    handler: ({ query, req, res, access }) => {
      const accounts = service();
      if (query.expand) return accounts.list(access).map((account) => accounts.details(account)) as z.infer<typeof accountSchema>[];
      listCache.send(req, res, access, accounts.version, () => accounts.list(access).map((account) => accounts.summary(account)));
      return []; // already answered: defineRoute sends nothing once headers are out
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/credentials/type/{type}',
    summary: 'Accounts of one type (cloud provider), by name; page with limit and startingAccountName (inclusive)',
    tags: ['credentials'],
    params: z.object({ type: z.string().min(1) }),
    query: z.object({
      limit: z.coerce.number().int().positive().optional(),
      startingAccountName: z.string().min(1).optional(),
    }),
    response: z.array(accountSchema),
    handler: ({ params, query, access }) => {
      const ofType = service()
        .list(access)
        .filter((account) => (account.type ?? account.cloudProvider) === params.type || account.cloudProvider === params.type)
        .filter((account) => query.startingAccountName === undefined || account.name >= query.startingAccountName);
      return ofType.slice(0, query.limit ?? ofType.length).map((account) => service().details(account)) as z.infer<typeof accountSchema>[];
    },
  });

  defineRoute(router, openapi, {
    method: 'get',
    path: '/credentials/{name}',
    summary: 'One account with every field (404 when missing or not readable by the caller)',
    tags: ['credentials'],
    params: z.object({ name: z.string().min(1) }),
    response: accountSchema,
    handler: ({ params, access }) => {
      const account = service().find(params.name, access);
      if (!account) throw new HttpError(404, `Account ${params.name} not found`);
      return service().details(account) as z.infer<typeof accountSchema>;
    },
  });

  defineRoute(router, openapi, {
    method: 'post',
    path: '/credentials',
    summary: 'Creates a stored account (account.storage.enabled); its agents start at once',
    tags: ['credentials'],
    body: definitionSchema,
    response: accountSchema,
    handler: async ({ body, access }) => service().details(await service().create(body, access)) as z.infer<typeof accountSchema>,
  });

  defineRoute(router, openapi, {
    method: 'put',
    path: '/credentials',
    summary: 'Replaces a stored account (account.storage.enabled); its agents are rescheduled',
    tags: ['credentials'],
    body: definitionSchema,
    response: accountSchema,
    handler: async ({ body, access }) => service().details(await service().update(body, access)) as z.infer<typeof accountSchema>,
  });

  defineRoute(router, openapi, {
    method: 'delete',
    path: '/credentials/{name}',
    summary: 'Deletes a stored account (account.storage.enabled); its agents stop',
    tags: ['credentials'],
    params: z.object({ name: z.string().min(1) }),
    response: z.object({ name: z.string(), deleted: z.literal(true) }),
    handler: async ({ params, access }) => {
      await service().delete(params.name, access);
      return { name: params.name, deleted: true as const };
    },
  });
}
