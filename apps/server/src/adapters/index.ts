import { memoryAdapter } from './memory-adapter.js';
import { redisAdapter } from './redis-adapter.js';
import { sqlAdapter } from './sql-adapter.js';
import type { StorageAdapter } from './storage-adapter.js';

/**
 * The built-in storage adapters in order of precedence (for each concern the first one enabled by
 * config wins; memory last, as the fallback), for embedders and tests that call `createStorage`.
 * The server itself takes them from the store modules (`modules/storage-adapter-modules.ts`).
 */
export const STORAGE_ADAPTERS: readonly StorageAdapter[] = [sqlAdapter, redisAdapter, memoryAdapter];
