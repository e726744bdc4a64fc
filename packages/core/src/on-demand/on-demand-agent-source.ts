import type { OnDemandAgent, ProviderCache } from '@stratus/plugin-api';

/** An on-demand agent together with the provider cache it refreshes into. */
export interface OnDemandAgentBinding {
  readonly agent: OnDemandAgent;
  readonly providerCache: ProviderCache;
}

/**
 * Where the on-demand cache updater (and the on-demand housekeeping agent) find the on-demand agents
 * of the currently configured accounts. The provider host implements it and registers it under
 * `ON_DEMAND_AGENT_SOURCE`; agents come and go with accounts, so it is asked on every request.
 */
export interface OnDemandAgentSource {
  onDemandAgents(): readonly OnDemandAgentBinding[];
}
