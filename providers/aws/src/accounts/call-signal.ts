import { AsyncLocalStorage } from 'node:async_hooks';
import type { AtomicOperation, CachingAgent, OperationDefinition } from '@stratus/plugin-api';

/**
 * The abort signal of the work in progress (an operation's task or an agent's run), carried through
 * async calls so that every SDK call made on its behalf stops when it is aborted — including calls
 * made by shared helpers (deploy, cache refresh) that never see the context themselves.
 */
const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the signal of every AWS SDK call it makes (unless a call passes its own). */
export function withCallSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return current.run(signal, work);
}

/** The signal of the work in progress, when there is one. */
export function currentCallSignal(): AbortSignal | undefined {
  return current.getStore();
}

interface SendOptions {
  abortSignal?: unknown;
}
type Send = (command: unknown, optionsOrCallback?: unknown, callback?: unknown) => unknown;

/**
 * Makes the client's `send` (which paginators call too) default its `abortSignal` to the current
 * call signal. An explicit `abortSignal` wins; callback-style calls are left alone.
 */
export function bindCallSignal<C extends object>(client: C): C {
  const target = client as unknown as { send: Send };
  const send = target.send.bind(client) as Send;
  target.send = (command, optionsOrCallback, callback) => {
    const signal = current.getStore();
    if (!signal || typeof optionsOrCallback === 'function') return send(command, optionsOrCallback, callback);
    const options = (optionsOrCallback ?? {}) as SendOptions;
    return send(command, options.abortSignal ? options : { ...options, abortSignal: signal }, callback);
  };
  return client;
}

/** The operation's `operate` runs under its task's signal (see {@link withCallSignal}). */
export function signalBoundOperation<D>(definition: OperationDefinition<D>): OperationDefinition<D> {
  return {
    ...definition,
    converter: {
      convertDescription: (input) => definition.converter.convertDescription(input),
      convertOperation: (description) => {
        const operation = definition.converter.convertOperation(description);
        const bound: AtomicOperation = {
          operate: (prior, context) => withCallSignal(context.signal, () => operation.operate(prior, context)),
          ...(operation.resumable ? { resumable: true } : {}),
        };
        return bound;
      },
    },
  };
}

/** The agent's `loadData` runs under its run's signal (see {@link withCallSignal}); wraps the instance. */
export function withRunSignal<A extends CachingAgent>(agent: A): A {
  const read = agent.loadData.bind(agent);
  agent.loadData = (cache, context) => (context?.signal ? withCallSignal(context.signal, () => read(cache, context)) : read(cache, context));
  return agent;
}
