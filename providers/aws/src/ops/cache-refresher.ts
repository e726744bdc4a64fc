import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
import { markAgentChanged, storeAgentRun, storeOnDemandRefresh } from '@stratus/provider-kit';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import { currentCallSignal } from '../accounts/call-signal.js';
import type { AwsServerGroupCachingAgent } from '../caching/server-group-caching-agent.js';

/**
 * Refreshes what an operation changed, so the read API shows it when the task completes: a server
 * group through the on-demand path (stored as a partial result, siblings untouched), anything else
 * by running the owning caching agent of that account and region once.
 */
export class AwsCacheRefresher {
  constructor(
    private readonly accounts: AwsAccountRegistry,
    private readonly cache: ProviderCache,
  ) {}

  async serverGroup(account: string, region: string, serverGroupName: string): Promise<void> {
    const agent = this.accounts.agent<AwsServerGroupCachingAgent>(account, region, 'ClusterCachingAgent');
    if (!agent) return;
    markAgentChanged(agent);
    await storeOnDemandRefresh(this.cache, agent, { account, region, serverGroupName });
  }

  /**
   * Runs the agent `<account>/<region>/<agentName>` once and stores its full result, plus explicit
   * evictions of what the operation deleted (globs allowed): an empty authoritative result does not
   * evict on its own, so deleting the last load balancer of a region would otherwise linger.
   */
  async agent(account: string, region: string, agentName: string, deleted: Readonly<Record<string, readonly string[]>> = {}): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, region, agentName);
    if (!agent) return;
    // A scheduled run of this agent in flight re-reads rather than write back its older describe.
    markAgentChanged(agent);
    // The operation's own signal (when it runs in one), so an aborted task stops refreshing too.
    const signal = currentCallSignal();
    await storeAgentRun(this.cache, agent, deleted, { expandGlobs: true, ...(signal ? { signal } : {}) });
  }
}
