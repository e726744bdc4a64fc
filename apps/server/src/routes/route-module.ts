import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import type { DependencyContainer } from 'tsyringe';

/**
 * One route module: declares its routes with `defineRoute` on `router` (which also documents them
 * in `openapi`) and resolves the services it needs from `container` by their core tokens. Modules
 * are listed in `routes/index.ts`; `createApp` mounts each of them once.
 */
export type RegisterRoutes = (router: Router, openapi: OpenAPIRegistry, container: DependencyContainer) => void;
