import { MemoryAccountDefinitionStore, MemoryCacheStoreFactory, MemoryTaskRepository, SingleNodeScheduler } from '@stratus/core';
import type { StorageAdapter } from './storage-adapter.js';

/**
 * The embedded default: cache, tasks and stored account definitions in process memory, agents run
 * by the single-node scheduler. Needs no other server; everything is lost on restart.
 */
export const memoryAdapter: StorageAdapter = {
  name: 'memory',
  enabledFor: () => true,
  createCacheStoreFactory: () => new MemoryCacheStoreFactory(),
  createAgentScheduler: (context) => new SingleNodeScheduler({ ...context.schedulerDefaults, maxConcurrentAgents: context.maxConcurrentAgents }),
  createTaskRepository: () => new MemoryTaskRepository(),
  createAccountDefinitionStore: () => new MemoryAccountDefinitionStore(),
};
