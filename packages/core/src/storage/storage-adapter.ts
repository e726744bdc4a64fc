import type { AccountDefinitionStore } from '../accounts/account-definition-store.js';
import type { CacheStoreFactory } from '../cats/cache-store.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { ModuleConfigSchema } from '../modules/feature-module.js';
import type { AgentScheduler, SchedulerDefaults } from '../scheduler/agent-scheduler.js';
import type { TaskRepository } from '../tasks/task-repository.js';
import type { Logger } from '@stratus/plugin-api';

/** The storage concerns an adapter may serve; each is chosen independently (Clouddriver's rule). */
export type StorageConcern = 'cache' | 'scheduler' | 'tasks' | 'accounts';

/** The server's whole configuration as an adapter sees it: sections by key (its own among them). */
export type StorageRootConfig = Readonly<Record<string, unknown>>;

export interface AdapterContext {
  readonly config: StorageRootConfig;
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
 * The top-level config section an adapter owns (`redis`, `sql`) and the schema the server's config
 * schema composes for it: the section's switch (`enabled`), checked when the file loads. The adapter
 * checks the rest of the section with its package's full schema once the section is enabled.
 */
export interface StorageConfigSection {
  readonly key: string;
  readonly schema: ModuleConfigSchema<{ readonly enabled: boolean }>;
}

/**
 * A storage backend (memory, Redis, SQL): builds the services of the concerns it serves. A store's
 * package exports its adapter wrapped in a module (`storageAdapterModule`); for each concern the
 * server takes the first listed adapter that `enabledFor` it and can build it; memory is the fallback
 * (docs/architecture.md, "Recipe: a store").
 */
export interface StorageAdapter {
  /** `memory`, `redis`, `sql`; also the name `dualTaskRepository.primary/previous` use. */
  readonly name: string;
  /** The section this adapter reads; `enabled: true` there with this adapter missing is a config error. */
  readonly configSection?: StorageConfigSection;
  /** Whether the config turns this adapter on for `concern` (e.g. `redis.enabled` and not `redis.cache.enabled: false`). */
  enabledFor(concern: StorageConcern, config: StorageRootConfig): boolean;
  /** Problems in the adapter's enabled section (`sql.cache.readBatchSize: …`), for `config validate`; none when disabled. */
  checkConfig?(config: StorageRootConfig): string[];
  createCacheStoreFactory?(context: AdapterContext): Promise<CacheStoreFactory> | CacheStoreFactory;
  createAgentScheduler?(context: AdapterContext): Promise<AgentScheduler> | AgentScheduler;
  createTaskRepository?(context: AdapterContext): Promise<TaskRepository> | TaskRepository;
  createAccountDefinitionStore?(context: AdapterContext): Promise<AccountDefinitionStore> | AccountDefinitionStore;
}
