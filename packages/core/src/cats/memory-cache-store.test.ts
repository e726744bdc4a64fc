import { runCacheStoreContract } from '@stratus/testing';
import { MemoryCacheStoreFactory } from './memory-cache-store.js';

runCacheStoreContract('memory', async () => ({ factory: new MemoryCacheStoreFactory(), cleanup: async () => {} }));
