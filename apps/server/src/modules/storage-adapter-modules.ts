import { memoryAdapter } from '../adapters/memory-adapter.js';
import { redisAdapter } from '../adapters/redis-adapter.js';
import { sqlAdapter } from '../adapters/sql-adapter.js';
import { storageAdapterModule } from './storage-module.js';

/**
 * The built-in stores, each a module contributing its adapter. Listed before `storageModule` in
 * order of precedence (for each concern the first enabled adapter wins); memory last, as the fallback.
 */
export const sqlStorageModule = storageAdapterModule('storage.sql', sqlAdapter);
export const redisStorageModule = storageAdapterModule('storage.redis', redisAdapter);
export const memoryStorageModule = storageAdapterModule('storage.memory', memoryAdapter);
