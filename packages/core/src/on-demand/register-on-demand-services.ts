import type { DependencyContainer } from 'tsyringe';
import { OnDemandCacheUpdater } from './on-demand-cache-updater.js';
import { ON_DEMAND_CACHE_UPDATER } from './service-tokens.js';

/**
 * Registers the on-demand cache updater as a singleton unless the container has one. It needs
 * `ON_DEMAND_AGENT_SOURCE` (the provider host), `AGENT_SCHEDULER`, `LOGGER` and `METRICS`.
 */
export function registerOnDemandServices(container: DependencyContainer): void {
  if (!container.isRegistered(ON_DEMAND_CACHE_UPDATER, true)) container.registerSingleton(ON_DEMAND_CACHE_UPDATER, OnDemandCacheUpdater);
}
