import { memoryStorageModule } from '@stratus/core';
import { redisStorageModule } from '@stratus/redis';
import { sqlStorageModule } from '@stratus/sql';

/**
 * The stores this server offers, each a module of its own package contributing its adapter, in
 * order of precedence (for each concern the first enabled adapter wins; memory last, as the
 * fallback). Adding a store is adding its module here: `startServer` lists these before
 * `storageModule`, and the config schema composes each adapter's section from this list.
 */
export const STORAGE_MODULES = [sqlStorageModule, redisStorageModule, memoryStorageModule] as const;

/** The adapters of {@link STORAGE_MODULES}, in the same order, for embedders and tests that call `createStorage`. */
export const STORAGE_ADAPTERS = STORAGE_MODULES.map((module) => module.adapter);
