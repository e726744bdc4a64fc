import { createHash } from 'node:crypto';
import { DualWriteTaskRepository, MirrorRetryQueue, type MetricsRegistry, type TaskRepository } from '@stratus/core';
import type { Logger } from '@stratus/plugin-api';
import { ConfigError } from '../config/config-error.js';
import type { StratusConfig } from '../config/config-schema.js';

/**
 * The dual-write task repository of `dualTaskRepository.mode: dual-write`, with its retry queue.
 * Each store is labelled by a hash of its config value (never the value: URLs may hold passwords),
 * so queued copies keep their direction across a rollback that swaps primary and previous.
 */
export function createDualWriteTaskRepository(
  primary: TaskRepository,
  previous: TaskRepository,
  dual: StratusConfig['dualTaskRepository'],
  options: { readonly logger: Logger; readonly metrics: MetricsRegistry; readonly previousTimeoutMs?: number },
): DualWriteTaskRepository {
  let queue: MirrorRetryQueue;
  try {
    queue = new MirrorRetryQueue(dual.retryQueue.maxEntries, dual.retryQueue.file);
  } catch (error) {
    throw new ConfigError(`Invalid configuration: dualTaskRepository.retryQueue.file: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!queue.durable) {
    options.logger.warn({}, 'dualTaskRepository.retryQueue.file is not set: task copies waiting for a retry are lost on restart');
  } else if (queue.size > 0) {
    options.logger.warn({ pending: queue.size, file: queue.file }, 'task copies queued before the restart will be retried');
  }
  return new DualWriteTaskRepository(primary, previous, {
    ...options,
    retryQueue: queue,
    retryIntervalMs: dual.retryQueue.retryIntervalMs,
    labels: { primary: label(dual.primary!), previous: label(dual.previous!) },
  });
}

function label(spec: string): string {
  return createHash('sha256').update(spec).digest('hex').slice(0, 12);
}
