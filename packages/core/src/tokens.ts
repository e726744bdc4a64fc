import { createToken, type Cache, type Logger } from '@stratus/plugin-api';
import type { AccountLookup } from './security/account-lookup.js';
import type { CacheStoreFactory } from './cats/cache-store.js';
import type { ProviderRouteRegistry } from './providers/provider-route-registry.js';
import type { ReadModelRegistry } from './providers/read-model-registry.js';
import type { AgentScheduler } from './scheduler/agent-scheduler.js';
import type { AccessResolver } from './security/caller-access.js';
import type { TaskRepository } from './tasks/task-repository.js';

/**
 * DI tokens of the core services. The server registers them in its tsyringe container; route
 * modules and adapters resolve them. Every injected constructor parameter names its token with
 * `@inject(TOKEN)`.
 */
export const LOGGER = createToken<Logger>('core.logger');
export const CACHE_STORE_FACTORY = createToken<CacheStoreFactory>('core.cache-store-factory');
export const AGENT_SCHEDULER = createToken<AgentScheduler>('core.agent-scheduler');
export const TASK_REPOSITORY = createToken<TaskRepository>('core.task-repository');
/** The composite read view over every provider cache. */
export const CACHE = createToken<Cache>('core.cache');
export const READ_MODEL_REGISTRY = createToken<ReadModelRegistry>('core.read-model-registry');
export const ACCOUNT_LOOKUP = createToken<AccountLookup>('core.account-lookup');
export const ACCESS_RESOLVER = createToken<AccessResolver>('core.access-resolver');
/** This server instance's id, used as task owner and scheduler node id. */
export const NODE_ID = createToken<string>('core.node-id');
/** Routes providers registered beside the generic read API. */
export const PROVIDER_ROUTE_REGISTRY = createToken<ProviderRouteRegistry>('core.provider-route-registry');
