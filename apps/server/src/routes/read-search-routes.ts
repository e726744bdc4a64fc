import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { SEARCH_SERVICE, canAccessApplication } from '@stratus/core';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import { front50ApplicationResults, withApplications } from './front50-application-search.js';
import { callerAccess, listParam, readService, textParam } from './read-support.js';

/** The parameters `/search` reads itself; every other one is a key-field filter. */
const OWN_PARAMETERS = new Set(['q', 'type', 'platform', 'page', 'pageSize']);

const searchResultSetSchema = z
  .object({
    totalMatches: z.number(),
    pageNumber: z.number(),
    pageSize: z.number(),
    platform: z.string(),
    query: z.string(),
    results: z.array(z.record(z.string(), z.string())).describe('Parsed keys: type, provider, account, region, application, cluster, …, url'),
  })
  .openapi('SearchResultSet');

/** `GET /search?q=&type=&platform=&page=&pageSize=&<field>=`. */
export function registerReadSearchRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/search',
    summary: 'Search cache keys; extra query parameters filter on parsed key fields (comma-separated values)',
    tags: ['search'],
    query: z
      .object({
        q: z.string().default(''),
        type: listParam.describe('Cache types, comma-separated or repeated; every searchable type when absent'),
        platform: textParam.describe('Only this cloud provider'),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(100_000).default(10_000),
      })
      .catchall(z.union([z.string(), z.array(z.string())])),
    response: z.array(searchResultSetSchema),
    handler: async ({ query, req }) => {
      const filters: Record<string, string> = {};
      for (const [field, value] of Object.entries(query)) {
        if (OWN_PARAMETERS.has(field) || value === undefined) continue;
        filters[field] = Array.isArray(value) ? value.join(',') : String(value);
      }
      const access = callerAccess(container, req);
      const search = { q: query.q, types: query.type ?? [], platform: query.platform, page: query.page, pageSize: query.pageSize, filters };
      const [found, applications] = await Promise.all([
        readService(container, SEARCH_SERVICE).search(access, search),
        front50ApplicationResults(container, access, search, (error) =>
          (req as { log?: { warn(obj: unknown, msg?: string): void } }).log?.warn({ err: error }, 'Front50 application search failed'),
        ),
      ]);
      // With Fiat, results of applications the caller may not READ are left out too.
      const sets = found.map((set) => {
        const results = set.results.filter((result) => typeof result.application !== 'string' || canAccessApplication(access, result.application, 'READ'));
        return results.length === set.results.length ? set : { ...set, results, totalMatches: set.totalMatches - (set.results.length - results.length) };
      });
      return applications ? withApplications(sets, applications, query.platform) : sets;
    },
  });
}
