export { startServer, providerSpecs, type RunningServer, type StartServerOptions } from './server/start-server.js';
export { createApp, type CreateAppOptions, type StratusApp } from './http/create-app.js';
export { defineRoute, HttpError, withStatus } from './http/define-route.js';
export type { RegisterRoutes } from './routes/route-module.js';
export { loadConfig, parseConfig, type LoadConfigOptions, type LoadedConfig } from './config/load-config.js';
export { ConfigError } from './config/config-error.js';
export { configSchema, BUILT_IN_PROVIDERS, type StratusConfig } from './config/config-schema.js';
// The storage SPI lives in @stratus/core now (each store's package exports its adapter and module); kept here for embedders.
export { memoryStorageAdapter as memoryAdapter, type AdapterContext, type StorageAdapter, type StorageConcern } from '@stratus/core';
export { STORAGE_ADAPTERS, STORAGE_MODULES } from './modules/storage-adapter-modules.js';
export { SERVER_HEALTH, PROM_METRICS } from './tokens.js';
export { resolve, resolveOptional, registerValue } from './di.js';
