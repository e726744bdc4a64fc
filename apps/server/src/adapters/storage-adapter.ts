import type { AccountDefinitionStore, AgentScheduler, CacheStoreFactory, MetricsRegistry, SchedulerDefaults, TaskRepository } from '@stratus/core';
import type { Logger } from '@stratus/plugin-api';
import type { StratusConfig } from '../config/config-schema.js';

/** The storage concerns an adapter may serve; each is chosen independently (Clouddriver's rule). */
export type StorageConcern = 'cache' | 'scheduler' | 'tasks' | 'accounts';

export interface AdapterContext {
  readonly config: StratusConfig;
  readonly logger: Logger;
  /** This server's id: the scheduler's node id and the owner of the tasks it runs. */
  readonly nodeId: string;
  readonly metrics: MetricsRegistry;
  /** Agent cadence defaults from `caching.poll.*`. */
  readonly schedulerDefaults: SchedulerDefaults;
  readonly maxConcurrentAgents: number;
  /** Registers cleanup for shared resources (a connection several services use); runs at shutdown after the services closed. */
  onClose(close: () => Promise<void> | void): void;
}

/**
 * A storage backend (memory, Redis, SQL): builds the services of the concerns it serves. A store
 * offers its adapter through a module (`storageAdapterModule` in `modules/storage-module.ts`) listed
 * in `startServer`; for each concern the server takes the first listed adapter that `enabledFor` it
 * and can build it; memory is the fallback (docs/architecture.md, "Recipe: a store").
 */
export interface StorageAdapter {
  /** `memory`, `redis`, `sql`; also the name `dualTaskRepository.primary/previous` use. */
  readonly name: string;
  /** Whether the config turns this adapter on for `concern` (e.g. `redis.enabled` and not `redis.cache.enabled: false`). */
  enabledFor(concern: StorageConcern, config: StratusConfig): boolean;
  createCacheStoreFactory?(context: AdapterContext): Promise<CacheStoreFactory> | CacheStoreFactory;
  createAgentScheduler?(context: AdapterContext): Promise<AgentScheduler> | AgentScheduler;
  createTaskRepository?(context: AdapterContext): Promise<TaskRepository> | TaskRepository;
  createAccountDefinitionStore?(context: AdapterContext): Promise<AccountDefinitionStore> | AccountDefinitionStore;
}
