import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';
import { z } from 'zod';
import { resolveOptional } from '../di.js';
import { defineRoute } from '../http/define-route.js';
import { STORAGE_ACCOUNT_NAMES } from '../tokens.js';

/**
 * `GET /storage`: the names of the configured storage accounts (`storage.accounts[].name`,
 * Clouddriver's `StorageConfigurationProperties`), which Deck offers when it deploys from a bucket;
 * `[]` when none are configured. Only names leave the server, never their credentials.
 */
export function registerStorageRoutes(router: Router, openapi: OpenAPIRegistry, container: DependencyContainer): void {
  defineRoute(router, openapi, {
    method: 'get',
    path: '/storage',
    summary: 'Names of the configured storage accounts',
    tags: ['storage'],
    response: z.array(z.string()),
    handler: () => [...(resolveOptional(container, STORAGE_ACCOUNT_NAMES)?.() ?? [])],
  });
}
