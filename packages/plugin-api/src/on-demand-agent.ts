import type { Agent } from './agent.js';
import type { CacheResult } from './cache-result.js';
import type { ProviderCache } from './provider-cache.js';

/**
 * The result of refreshing one resource on demand. It is stored as a *partial* result of
 * `sourceAgentType` (normally the scheduled agent that owns the resource), so it never evicts
 * siblings; `cacheResult.evictions` removes what was found gone.
 */
export interface OnDemandResult {
  /** The scheduled agent the result is stored under (normally `this.agentType`). */
  readonly sourceAgentType: string;
  /** The types that agent is authoritative for. */
  readonly authoritativeTypes: readonly string[];
  /** The refreshed items, and explicit evictions for what was found gone. */
  readonly cacheResult: CacheResult;
}

/** A pending on-demand record as `GET /cache/{cloudProvider}/{type}` lists it. */
export interface PendingOnDemandRequest {
  /** The resource key the record is for. */
  readonly id: string;
  /** What the record is about (typically the parsed key). */
  readonly details: Record<string, unknown>;
  /** The resource's moniker, when known. */
  readonly moniker?: Record<string, unknown>;
  /** Epoch ms of the refresh. */
  readonly cacheTime: number;
  /** Epoch ms when the record expires. */
  readonly cacheExpiry?: number;
  /** How many scheduled runs have processed the record. */
  readonly processedCount: number;
  /** Epoch ms of the last scheduled run that processed it. */
  readonly processedTime?: number;
}

/** An agent that refreshes single resources when a client asks (Clouddriver's `OnDemandAgent`). */
export interface OnDemandAgent extends Agent {
  /** A name for this agent's on-demand side, for logs and metrics (e.g. `${agentType}-OnDemand`). */
  readonly onDemandAgentType: string;
  /** Whether this agent refreshes `type` (compared case-insensitively, e.g. `ServerGroup`). */
  handles(type: string, cloudProvider: string): boolean;
  /** Refreshes the resource described by `data`; `undefined` when it is not this agent's (other account). */
  handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined>;
  /** Pending records, for `GET /cache/{cloudProvider}/{type}`. */
  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]>;
}

/** Whether `agent` is an {@link OnDemandAgent} (has `handles` and `handle`). */
export function isOnDemandAgent(agent: Agent): agent is OnDemandAgent {
  const candidate = agent as OnDemandAgent;
  return typeof candidate.handles === 'function' && typeof candidate.handle === 'function';
}
