import {
  ACCOUNT_DEFINITION_STORE,
  AGENT_SCHEDULER,
  CACHE_STORE_FACTORY,
  LIFECYCLE,
  LOGGER,
  METRICS,
  NODE_ID,
  STORAGE_ADAPTER,
  TASK_REPOSITORY,
  logAgentFailures,
  type StorageAdapter,
} from '@stratus/core';
import { createStorage } from '../adapters/create-storage.js';
import { addTaskCopyReadiness } from '../health/task-copy-readiness.js';
import { instrumentAgents, instrumentCacheStoreFactory, instrumentTaskRepository } from '../metrics/instrument.js';
import { SERVER_HEALTH, VIEW_GENERATIONS } from '../tokens.js';
import { defineServerModule } from './define-server-module.js';
import { STORAGE_SUMMARY } from './module-tokens.js';

/**
 * Builds the cache store factory, scheduler, task repository and account definition store from the
 * contributed adapters (or `adapters`, when the caller hands its own) and binds them, instrumented.
 * Closes them last at shutdown; the scheduler stops with the running work.
 */
export function storageModule(adapters?: readonly StorageAdapter[]) {
  return defineServerModule({
    id: 'storage',
    deps: { logger: LOGGER, nodeId: NODE_ID, metrics: METRICS, lifecycle: LIFECYCLE, health: SERVER_HEALTH },
    async register({ root: config, deps, bind, collect }) {
      const { logger, metrics, lifecycle, health } = deps;
      const storage = await createStorage(adapters ?? collect(STORAGE_ADAPTER), {
        config,
        logger,
        nodeId: deps.nodeId,
        metrics,
        schedulerDefaults: {
          intervalMs: config.caching.poll.intervalSeconds * 1000,
          errorIntervalMs: config.caching.poll.errorIntervalSeconds * 1000,
          timeoutMs: config.caching.poll.timeoutSeconds * 1000,
        },
        maxConcurrentAgents: config.caching.maxConcurrentAgents,
        // Shared resources (a pool) close after the services that use them: registered first, run last.
        onClose: (close) => lifecycle.onShutdown('storage resource', close, 'storage'),
      });
      const cacheStoreFactory = instrumentCacheStoreFactory(storage.cacheStoreFactory, metrics);
      const taskRepository = instrumentTaskRepository(storage.taskRepository, metrics);
      const { scheduler } = storage;
      bind(CACHE_STORE_FACTORY, cacheStoreFactory);
      bind(TASK_REPOSITORY, taskRepository);
      bind(AGENT_SCHEDULER, scheduler);
      bind(ACCOUNT_DEFINITION_STORE, storage.accountDefinitionStore);
      bind(STORAGE_SUMMARY, storage.adapters);
      bind(VIEW_GENERATIONS, storage.generations);
      lifecycle.onShutdown('cache store', () => cacheStoreFactory.close(), 'storage');
      lifecycle.onShutdown('task repository', () => taskRepository.close(), 'storage');
      const stopMetrics = instrumentAgents(scheduler.instrumentation, metrics);
      // Every provider's failing agents reach the log: first failure, every 10th, recovery.
      const stopFailureLog = logAgentFailures(scheduler.instrumentation, logger.child({ component: 'agents' }));
      lifecycle.onShutdown(
        'agent instrumentation',
        () => {
          stopMetrics();
          stopFailureLog();
        },
        'intake',
      );
      health.addCheck({ name: 'cacheStore', kind: storage.cacheStoreFactory.kind, check: () => storage.cacheStoreFactory.ping() });
      health.addCheck({ name: 'taskRepository', kind: storage.taskRepository.kind, check: () => storage.taskRepository.ping() });
      addTaskCopyReadiness(health, storage.taskRepository);
    },
  });
}
