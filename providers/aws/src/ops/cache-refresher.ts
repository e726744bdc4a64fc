import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import { currentCallSignal } from '../accounts/call-signal.js';
import { markAgentChanged } from '../caching/aws-agent.js';
import type { ClusterCachingAgent } from '../caching/cluster-caching-agent.js';

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
    const agent = this.accounts.agent<ClusterCachingAgent>(account, region, 'ClusterCachingAgent');
    if (!agent) return;
    markAgentChanged(agent);
    const result = await agent.handle(this.cache, { account, region, serverGroupName });
    if (result) await this.cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
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
    const result = await agent.loadData(this.cache, { signal: currentCallSignal() ?? new AbortController().signal });
    const evictions: Record<string, string[]> = {};
    for (const [type, ids] of Object.entries(result.evictions ?? {})) evictions[type] = [...ids];
    for (const [type, patterns] of Object.entries(deleted)) {
      for (const pattern of patterns) {
        const ids = /[*?[]/.test(pattern) ? await this.cache.filterIdentifiers(type, pattern) : [pattern];
        (evictions[type] ??= []).push(...ids);
      }
    }
    const authoritative = agent.providedDataTypes.filter((t) => t.authority === 'AUTHORITATIVE').map((t) => t.typeName);
    await this.cache.putCacheResult(agent.agentType, authoritative, { ...result, evictions });
  }
}
