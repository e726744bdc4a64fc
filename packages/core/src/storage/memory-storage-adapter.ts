import { MemoryAccountDefinitionStore } from '../accounts/account-definition-store.js';
import { MemoryCacheStoreFactory } from '../cats/memory-cache-store.js';
import { SingleNodeScheduler } from '../scheduler/single-node-scheduler.js';
import { MemoryTaskRepository } from '../tasks/memory-task-repository.js';
import type { StorageAdapter } from './storage-adapter.js';
import { storageAdapterModule } from './storage-adapter-module.js';

/**
 * The embedded default: cache, tasks and stored account definitions in process memory, agents run
 * by the single-node scheduler. Needs no other server; everything is lost on restart.
 */
export const memoryStorageAdapter = {
  name: 'memory',
  enabledFor: () => true,
  createCacheStoreFactory: () => new MemoryCacheStoreFactory(),
  createAgentScheduler: (context) => new SingleNodeScheduler({ ...context.schedulerDefaults, maxConcurrentAgents: context.maxConcurrentAgents }),
  createTaskRepository: () => new MemoryTaskRepository(),
  createAccountDefinitionStore: () => new MemoryAccountDefinitionStore(),
} as const satisfies StorageAdapter;

/** The memory store's module: listed last, so it serves whatever no other store took. */
export const memoryStorageModule = storageAdapterModule(memoryStorageAdapter);
