import type { AgentInstrumentation, CacheStore, CacheStoreFactory, HistogramMetric, MetricsRegistry, TaskRepository } from '@stratus/core';

/**
 * Wraps every async method of `target` so its duration is observed with `{store, operation}`. The
 * method runs with the original object as `this`, so private fields keep working.
 */
function timed<T extends object>(target: T, histogram: HistogramMetric, store: string, skip: ReadonlySet<string> = new Set()): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || skip.has(property)) return value;
      return (...args: unknown[]) => {
        const end = histogram.startTimer({ store, operation: property });
        const result = value.apply(object, args);
        if (result && typeof (result as Promise<unknown>).then === 'function') {
          return (result as Promise<unknown>).finally(() => end());
        }
        end();
        return result;
      };
    },
  });
}

const storeHistogram = (metrics: MetricsRegistry) =>
  metrics.histogram(
    'store_operation_duration_seconds',
    'Latency of cache store and task repository calls',
    ['store', 'operation'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  );

/** A cache store factory whose stores time every call (`store` label = the factory kind). */
export function instrumentCacheStoreFactory(factory: CacheStoreFactory, metrics: MetricsRegistry): CacheStoreFactory {
  const histogram = storeHistogram(metrics);
  const stores = new Map<string, CacheStore>();
  return new Proxy(factory, {
    get(object, property, receiver) {
      if (property === 'getStore') {
        return (namespace: string) => {
          let store = stores.get(namespace);
          if (!store) stores.set(namespace, (store = timed(object.getStore(namespace), histogram, `cache:${factory.kind}`)));
          return store;
        };
      }
      const value = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

export function instrumentTaskRepository(repository: TaskRepository, metrics: MetricsRegistry): TaskRepository {
  return timed(repository, storeHistogram(metrics), `tasks:${repository.kind}`);
}

/** Agent runs: duration by provider and result, items written and evicted, failures. */
export function instrumentAgents(instrumentation: AgentInstrumentation, metrics: MetricsRegistry): () => void {
  const duration = metrics.histogram(
    'agent_execution_duration_seconds',
    'Caching agent run duration by provider and result',
    ['provider', 'result'],
    [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  );
  const runs = metrics.counter('agent_executions_total', 'Agent runs by provider, agent and result', ['provider', 'agent', 'result']);
  const items = metrics.counter('agent_items_total', 'Items written and evicted by agents', ['provider', 'kind']);
  return instrumentation.onExecution((event) => {
    const provider = event.agent.providerName;
    duration.observe({ provider, result: event.result }, event.durationMs / 1000);
    runs.inc({ provider, agent: event.agent.agentType, result: event.result });
    if (event.outcome?.itemsWritten) items.inc({ provider, kind: 'written' }, event.outcome.itemsWritten);
    if (event.outcome?.itemsEvicted) items.inc({ provider, kind: 'evicted' }, event.outcome.itemsEvicted);
  });
}
