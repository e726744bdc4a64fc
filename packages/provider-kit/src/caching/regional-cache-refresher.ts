import type { Agent, CachingAgent, OnDemandAgent, ProviderCache } from '@stratus/plugin-api';
import { storeAgentRun, storeOnDemandRefresh } from './agent-refresh.js';
import { markAgentChanged } from './consistent-reads.js';

/** Where a refresher finds an agent: `<account>/<region>/<name>` (an `AccountAgentRegistry`). */
export interface AgentLookup {
  agent<T extends Agent>(account: string, region: string, name: string): T | undefined;
}

/** What differs between the regional clouds' refreshers. */
export interface RegionalCacheRefresherSpec {
  /** The server group caching agent's name (persisted: Clouddriver's, e.g. `ClusterCachingAgent`). */
  readonly serverGroupAgent: string;
  /** Treat `deleted` entries with `*`, `?` or `[` as globs over the cached ids (see `storeAgentRun`). */
  readonly expandGlobs?: boolean;
  /** The signal of the operation running now, when the cloud tracks one, so an aborted task stops refreshing. */
  readonly currentSignal?: () => AbortSignal | undefined;
}

/**
 * Refreshes what an operation changed, so the read API shows it when the task completes: a server
 * group through the on-demand path (a partial result, siblings untouched), anything else by running
 * the owning caching agent of that account and region (or pseudo-region) once. Each refreshed agent
 * is marked changed first, so a scheduled run of it in flight reads again rather than write back its
 * older describe (see `markAgentChanged`).
 */
export class RegionalCacheRefresher {
  constructor(
    private readonly accounts: AgentLookup,
    private readonly cache: ProviderCache,
    private readonly spec: RegionalCacheRefresherSpec,
  ) {}

  /** Tells the named agents of `<account>/<region>` that an operation changed what they cache. */
  markChanged(account: string, region: string, ...agentNames: string[]): void {
    for (const name of agentNames) {
      const agent = this.accounts.agent(account, region, name);
      if (agent) markAgentChanged(agent);
    }
  }

  async serverGroup(account: string, region: string, serverGroupName: string): Promise<void> {
    const agent = this.accounts.agent<OnDemandAgent>(account, region, this.spec.serverGroupAgent);
    if (!agent) return;
    markAgentChanged(agent);
    await storeOnDemandRefresh(this.cache, agent, { account, region, serverGroupName });
  }

  /**
   * Runs the agent `<account>/<region>/<agentName>` once and stores its full result, plus explicit
   * evictions of the `deleted` ids: an empty authoritative result does not evict on its own, so
   * deleting the last load balancer of a region would otherwise linger.
   */
  async agent(account: string, region: string, agentName: string, deleted: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, region, agentName);
    if (!agent) return;
    markAgentChanged(agent);
    const signal = this.spec.currentSignal?.();
    await storeAgentRun(this.cache, agent, deleted, { ...(this.spec.expandGlobs ? { expandGlobs: true } : {}), ...(signal ? { signal } : {}) });
  }
}
