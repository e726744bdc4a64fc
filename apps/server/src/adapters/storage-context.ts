import type { AdapterContext } from '@stratus/core';
import type { StratusConfig } from '../config/config-schema.js';

/** What the server hands its adapters: the store-neutral context, with the server's parsed configuration. */
export type StorageContext = AdapterContext & { readonly config: StratusConfig };
