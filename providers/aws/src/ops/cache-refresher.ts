import type { CachingAgent, ProviderCache } from '@stratus/plugin-api';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
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
    const result = await agent.handle(this.cache, { account, region, serverGroupName });
    if (result) await this.cache.addCacheResult(result.sourceAgentType, result.authoritativeTypes, result.cacheResult);
  }

  /** Runs the agent `<account>/<region>/<agentName>` once and stores its full result. */
  async agent(account: string, region: string, agentName: string): Promise<void> {
    const agent = this.accounts.agent<CachingAgent>(account, region, agentName);
    if (!agent) return;
    const result = await agent.loadData(this.cache, { signal: new AbortController().signal });
    const authoritative = agent.providedDataTypes.filter((t) => t.authority === 'AUTHORITATIVE').map((t) => t.typeName);
    await this.cache.putCacheResult(agent.agentType, authoritative, result);
  }
}
