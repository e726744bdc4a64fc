import type { Agent } from './agent.js';
import type { CacheResult } from './cache-result.js';
import type { ProviderCache } from './provider-cache.js';

/**
 * The result of refreshing one resource on demand. It is stored as a *partial* result of
 * `sourceAgentType` (normally the scheduled agent that owns the resource), so it never evicts
 * siblings; `cacheResult.evictions` removes what was found gone.
 */
export interface OnDemandResult {
  readonly sourceAgentType: string;
  readonly authoritativeTypes: readonly string[];
  readonly cacheResult: CacheResult;
}

/** A pending on-demand record as `GET /cache/{cloudProvider}/{type}` lists it. */
export interface PendingOnDemandRequest {
  readonly id: string;
  readonly details: Record<string, unknown>;
  readonly moniker?: Record<string, unknown>;
  readonly cacheTime: number;
  readonly cacheExpiry?: number;
  readonly processedCount: number;
  readonly processedTime?: number;
}

/** An agent that refreshes single resources when a client asks (Clouddriver's `OnDemandAgent`). */
export interface OnDemandAgent extends Agent {
  readonly onDemandAgentType: string;
  /** Whether this agent refreshes `type` (compared case-insensitively, e.g. `ServerGroup`). */
  handles(type: string, cloudProvider: string): boolean;
  /** Refreshes the resource described by `data`; `undefined` when it is not this agent's (other account). */
  handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined>;
  /** Pending records, for `GET /cache/{cloudProvider}/{type}`. */
  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]>;
}

export function isOnDemandAgent(agent: Agent): agent is OnDemandAgent {
  const candidate = agent as OnDemandAgent;
  return typeof candidate.handles === 'function' && typeof candidate.handle === 'function';
}
