import {
  ACCOUNT_DEFINITIONS_NAMESPACE,
  ApplicationGenerations,
  CacheStoreAccountDefinitionStore,
  ChangeTrackingCacheStoreFactory,
  DualTaskRepository,
  type AccountDefinitionStore,
  type AgentScheduler,
  type CacheStoreFactory,
  type StorageAdapter,
  type StorageConcern,
  type TaskRepository,
} from '@stratus/core';
import { redact } from '@stratus/sql';
import { asConfigError } from '../config/as-config-error.js';
import { ConfigError } from '../config/config-error.js';
import { isTaskStoreUrl, openTaskStore } from '../migration/open-task-store.js';
import { withCacheMigration } from './create-cache-migration.js';
import { createDualWriteTaskRepository } from './create-dual-write-task-repository.js';
import { createMigrationScheduler } from '../scheduler-migration/create-migration-scheduler.js';
import { STORAGE_ADAPTERS } from '../modules/storage-adapter-modules.js';
import type { StorageContext } from './storage-context.js';

export interface Storage {
  readonly cacheStoreFactory: CacheStoreFactory;
  readonly scheduler: AgentScheduler;
  readonly taskRepository: TaskRepository;
  readonly accountDefinitionStore: AccountDefinitionStore;
  /** Moved by every write through {@link cacheStoreFactory}; shared with replicas unless the store is memory. */
  readonly generations: ApplicationGenerations;
  /** Which adapter serves each concern, for the startup log and readiness. */
  readonly adapters: Readonly<Record<StorageConcern, string>>;
}

const FACTORY: Record<StorageConcern, keyof StorageAdapter> = {
  cache: 'createCacheStoreFactory',
  scheduler: 'createAgentScheduler',
  tasks: 'createTaskRepository',
  accounts: 'createAccountDefinitionStore',
};

/**
 * Builds the cache store factory, scheduler, task repository and account definition store from the
 * adapters the config selects (per concern, first enabled adapter in `adapters` order, memory as
 * fallback), with a dual task repository when `dualTaskRepository.enabled`.
 */
export async function createStorage(adapters: readonly StorageAdapter[], context: StorageContext): Promise<Storage> {
  return asConfigError(() => buildStorage(adapters, context));
}

async function buildStorage(adapters: readonly StorageAdapter[], context: StorageContext): Promise<Storage> {
  // A section the server knows (a built-in store's) switched on while its adapter is not offered.
  const known: readonly StorageAdapter[] = [...adapters, ...STORAGE_ADAPTERS];
  for (const { configSection } of known) {
    if (!configSection || adapters.some((adapter) => adapter.configSection?.key === configSection.key)) continue;
    if ((context.config[configSection.key] as { enabled?: unknown } | undefined)?.enabled === true) {
      const { key } = configSection;
      throw new ConfigError(`Invalid configuration: ${key}.enabled: the ${key} storage adapter is not available in this server build`);
    }
  }
  const pick = (concern: StorageConcern): StorageAdapter => {
    const found = adapters.find((adapter) => typeof adapter[FACTORY[concern]] === 'function' && adapter.enabledFor(concern, context.config));
    if (!found) throw new ConfigError(`Invalid configuration: no storage adapter serves ${concern}`);
    return found;
  };
  const byName = (name: string, key: string): StorageAdapter => {
    const found = adapters.find((adapter) => adapter.name === name);
    if (!found?.createTaskRepository) {
      const known = adapters.filter((adapter) => adapter.createTaskRepository).map((adapter) => adapter.name);
      throw new ConfigError(`Invalid configuration: ${key}: no task repository adapter named "${name}" (known: ${known.join(', ')})`);
    }
    return found;
  };

  const cacheAdapter = pick('cache');
  const schedulerAdapter = pick('scheduler');
  const accountsAdapter = pick('accounts');
  // A cache store migration (`caching.migration.target`) writes to both stores, reads the configured one.
  const cacheStoreFactory = await withCacheMigration(await cacheAdapter.createCacheStoreFactory!(context), context);
  // A scheduler migration (`scheduler.migration`) replaces the adapter's scheduler with one locking in both stores.
  const migrating = await createMigrationScheduler(context);
  const scheduler = migrating ?? (await schedulerAdapter.createAgentScheduler!(context));
  // Without a dedicated store for definitions, a shared cache store (Redis, SQL) keeps them, so
  // every replica sees the same stored accounts; memory stays memory.
  let accountDefinitionStore: AccountDefinitionStore;
  let accountsName = accountsAdapter.name;
  if (accountsAdapter.name === 'memory' && cacheAdapter.name !== 'memory') {
    accountDefinitionStore = new CacheStoreAccountDefinitionStore(cacheStoreFactory.getStore(ACCOUNT_DEFINITIONS_NAMESPACE), cacheAdapter.name);
    accountsName = `${cacheAdapter.name} (cache store)`;
  } else {
    accountDefinitionStore = await accountsAdapter.createAccountDefinitionStore!(context);
  }

  let taskRepository: TaskRepository;
  let tasksName: string;
  const dual = context.config.dualTaskRepository;
  if (dual.enabled) {
    // Each side is an adapter name (memory, redis, sql: the configured connection) or a store URL
    // for a second connection (redis://…?prefix=…, postgres://…, mysql://…, sqlite:…).
    // Only the primary's schema is created: the previous store already exists, and one that is down
    // must not stop the server from starting (its calls time out to "not found" instead).
    const side = async (spec: string, key: string, migrate: boolean): Promise<TaskRepository> => {
      if (!isTaskStoreUrl(spec)) return byName(spec, key).createTaskRepository!(context);
      let opened;
      try {
        opened = await openTaskStore(spec, { migrate });
      } catch (error) {
        throw new ConfigError(`Invalid configuration: ${key}: ${error instanceof Error ? error.message : String(error)}`);
      }
      context.onClose(() => opened.close());
      return opened.repository;
    };
    const primary = await side(dual.primary!, 'dualTaskRepository.primary', true);
    const previous = await side(dual.previous!, 'dualTaskRepository.previous', false);
    const options = { logger: context.logger, ...(dual.previousTimeoutMs ? { previousTimeoutMs: dual.previousTimeoutMs } : {}) };
    if (dual.mode === 'dual-write') {
      taskRepository = createDualWriteTaskRepository(primary, previous, dual, { ...options, metrics: context.metrics });
      tasksName = `dual-write(${redact(dual.primary!)}->${redact(dual.previous!)})`;
    } else {
      taskRepository = new DualTaskRepository(primary, previous, options);
      tasksName = `dual(${dual.primary}<-${dual.previous})`;
    }
  } else {
    const tasksAdapter = pick('tasks');
    taskRepository = await tasksAdapter.createTaskRepository!(context);
    tasksName = tasksAdapter.name;
  }
  // Every cache write moves the generations of the applications it touched (HTTP view cache); a store
  // other replicas use carries them there too (the view cache checks the shared stamps per poll).
  const generations = new ApplicationGenerations();
  return {
    cacheStoreFactory: new ChangeTrackingCacheStoreFactory(cacheStoreFactory, generations, { shared: cacheAdapter.name !== 'memory' }),
    generations,
    scheduler,
    taskRepository,
    accountDefinitionStore,
    adapters: { cache: cacheAdapter.name, scheduler: migrating?.kind ?? schedulerAdapter.name, tasks: tasksName, accounts: accountsName },
  };
}
