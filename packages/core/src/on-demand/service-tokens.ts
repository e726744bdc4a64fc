import { createToken } from '@stratus/plugin-api';
import type { OnDemandCacheUpdater } from './on-demand-cache-updater.js';

/** The on-demand services, for the routes that resolve them. */
export const ON_DEMAND_CACHE_UPDATER = createToken<OnDemandCacheUpdater>('core.on-demand-cache-updater');
