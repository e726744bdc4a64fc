import { NOOP_METRICS, type SchedulerDefaults } from '@stratus/core';
import { silentLogger } from '@stratus/plugin-api';
import type { StorageContext } from '../../src/adapters/storage-context.js';
import { parseConfig } from '../../src/config/load-config.js';

export interface TestStorageContextOptions {
  /** Collects what the adapters register to close at shutdown (default: dropped). */
  readonly closers?: (() => unknown)[];
  readonly nodeId?: string;
  readonly schedulerDefaults?: SchedulerDefaults;
  readonly maxConcurrentAgents?: number;
}

/** What `createStorage` gets from the storage module, for a config given as written (parsed as the server parses it). */
export function testStorageContext(raw: Record<string, unknown>, options: TestStorageContextOptions = {}): StorageContext {
  return {
    config: parseConfig(raw),
    logger: silentLogger,
    nodeId: options.nodeId ?? 'test-node',
    metrics: NOOP_METRICS,
    schedulerDefaults: options.schedulerDefaults ?? { intervalMs: 1000, errorIntervalMs: 1000, timeoutMs: 5000 },
    maxConcurrentAgents: options.maxConcurrentAgents ?? 4,
    onClose: (close) => void options.closers?.push(close),
  };
}
