import { defineModule } from '../modules/feature-module.js';
import { AGENT_SCHEDULER } from '../tokens.js';
import { OnDemandCacheUpdater } from './on-demand-cache-updater.js';
import { ON_DEMAND_CACHE_UPDATER } from './service-tokens.js';
import { ON_DEMAND_AGENT_SOURCE } from './tokens.js';

/** The on-demand cache updater behind `POST /cache/{cloudProvider}/{type}` (docs/architecture.md, "Cache protocol"). */
export const onDemandModule = defineModule({
  id: 'core.on-demand',
  deps: { agents: ON_DEMAND_AGENT_SOURCE, scheduler: AGENT_SCHEDULER },
  register({ bindClass }) {
    bindClass(ON_DEMAND_CACHE_UPDATER, OnDemandCacheUpdater);
  },
});
