import { memoryAdapter } from './memory-adapter.js';
import { redisAdapter } from './redis-adapter.js';
import { sqlAdapter } from './sql-adapter.js';
import type { StorageAdapter } from './storage-adapter.js';

/**
 * The storage adapters, in order of precedence: for each concern the first one enabled by config
 * wins. Memory stays last as the fallback. A new adapter is one import and one entry here.
 */
export const STORAGE_ADAPTERS: readonly StorageAdapter[] = [sqlAdapter, redisAdapter, memoryAdapter];
