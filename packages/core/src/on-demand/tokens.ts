import { createToken } from '@stratus/plugin-api';
import type { OnDemandAgentSource } from './on-demand-agent-source.js';
import type { OnDemandCacheUpdater } from './on-demand-cache-updater.js';

/** Implemented by the provider host: the on-demand agents of the configured accounts. */
export const ON_DEMAND_AGENT_SOURCE = createToken<OnDemandAgentSource>('core.on-demand-agent-source');
export const ON_DEMAND_CACHE_UPDATER = createToken<OnDemandCacheUpdater>('core.on-demand-cache-updater');
