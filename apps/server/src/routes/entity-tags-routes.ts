import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { ENTITY_TAGS_SERVICE, type EntityTagsQuery } from '@stratus/core';
import type { Request, Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolveOptional } from '../di.js';
import { HttpError, defineRoute } from '../http/define-route.js';
import { callerAccess, listParam, textParam } from './read-support.js';

const entityTagsSchema = z
  .object({
    id: z.string(),
    idPattern: z.string().optional(),
    lastModified: z.number().optional(),
    lastModifiedBy: z.string().optional(),
    tags: z.array(z.object({ name: z.string(), namespace: z.string(), category: z.string().optional(), value: z.unknown(), valueType: z.string().optional() })),
    tagsMetadata: z.array(z.object({ name: z.string(), created: z.number(), createdBy: z.string(), lastModified: z.number(), lastModifiedBy: z.string() })),
    entityRef: z.record(z.string(), z.unknown()).describe('`{cloudProvider, application, account, accountId, region, entityType, entityId, …}`'),
  })
  .openapi('EntityTags');

const listQuery = z
  .object({
    cloudProvider: textParam,
    application: textParam,
    entityType: textParam.describe('Lower-cased; `*` is a wildcard'),
    entityId: listParam.describe('Comma-separated entity ids'),
    idPrefix: textParam.describe('A wildcard pattern over the id, e.g. `aws:servergroup:*`'),
    account: textParam,
    region: textParam,
    namespace: textParam,
    maxResults: z.coerce.number().int().positive().max(100_000).default(5_000),
  })
  .catchall(z.unknown())
  .describe('Also `tag:<name>=<value>` (value `*` = any): every named tag must match');

/** `tag:<name>` (and, as Clouddriver reads them, any parameter starting with `tag`) → name → value. */
function tagFilters(query: Record<string, unknown>): Record<string, string> | { error: string } {
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.toLowerCase().startsWith('tag')) continue;
    if (typeof value !== 'string') return { error: `${key}: expected one value` };
    filters[key.toLowerCase().replace(/^tag:/, '')] = value;
  }
  return filters;
}

/**
 * `GET /tags` and `GET /tags/{id}` (Clouddriver's `EntityTagsController`), over the entity tags
 * kept in Stratus's store. Tags of accounts the caller cannot READ are left out / a 404.
 */
export function registerEntityTagsRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  // A server assembled without entity tags (some tests) has none to list.
  const service = () => resolveOptional(container, ENTITY_TAGS_SERVICE);

  defineRoute(router, openapi, {
    method: 'get',
    path: '/tags',
    summary: 'Entity tags matching every given filter (at most maxResults)',
    tags: ['entityTags'],
    query: listQuery,
    response: z.array(entityTagsSchema),
    handler: ({ query, req }) => {
      const tags = tagFilters(query);
      if ('error' in tags && typeof tags.error === 'string') throw new HttpError(400, `Invalid request: ${tags.error}`, { errors: [tags.error] });
      const filters: EntityTagsQuery = {
        ...(query.cloudProvider ? { cloudProvider: query.cloudProvider } : {}),
        ...(query.application ? { application: query.application } : {}),
        ...(query.entityType ? { entityType: query.entityType } : {}),
        ...(query.entityId ? { entityIds: query.entityId } : {}),
        ...(query.idPrefix ? { idPrefix: query.idPrefix } : {}),
        ...(query.account ? { account: query.account } : {}),
        ...(query.region ? { region: query.region } : {}),
        ...(query.namespace ? { namespace: query.namespace } : {}),
        tags: tags as Record<string, string>,
        maxResults: query.maxResults,
      };
      return service()?.list(callerAccess(container, req), filters) ?? [];
    },
  });

  const getOne = async (req: Request, id: string) => {
    const found = await service()?.get(callerAccess(container, req), id);
    if (!found) throw new HttpError(404, `No EntityTags found w/ id = '${id}'`);
    return found;
  };

  defineRoute(router, openapi, {
    method: 'get',
    path: '/tags/{id}',
    summary: 'One entity tags entry by id (ids may also span several path segments)',
    tags: ['entityTags'],
    params: z.object({ id: z.string().min(1) }),
    response: entityTagsSchema,
    handler: ({ params, req }) => getOne(req, params.id),
  });

  // Clouddriver maps `/tags/**`: an id holding `/` (an entity id such as `deployment/web`) still resolves.
  router.get('/tags/*id', async (req, res, next) => {
    try {
      const segments = (req.params as { id?: string[] }).id ?? [];
      res.json(await getOne(req, segments.join('/')));
    } catch (error) {
      next(error);
    }
  });
}
