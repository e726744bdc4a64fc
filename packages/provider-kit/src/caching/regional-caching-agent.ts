import type { AgentDataType, AgentRunContext, CacheResult, CachingAgent, ProviderCache } from '@stratus/plugin-api';

/** What every regional agent is built from; providers add their client factory and tuning. */
export interface RegionalAgentOptions<A extends { readonly name: string }> {
  readonly account: A;
  /** A region (or a provider's account-wide pseudo-region such as GCE's `global`). */
  readonly region: string;
  readonly intervalMs?: number;
}

/**
 * A caching agent bound to one account and region; its type is `<account>/<region>/<Name>`, the
 * form the scheduler, the cache refreshers and `AccountAgentRegistry.agent` look agents up by.
 */
export abstract class RegionalCachingAgent<
  A extends { readonly name: string },
  O extends RegionalAgentOptions<A> = RegionalAgentOptions<A>,
> implements CachingAgent {
  abstract readonly providerName: string;
  abstract readonly providedDataTypes: readonly AgentDataType[];
  readonly accountName: string;
  readonly agentType: string;
  readonly intervalMs?: number;

  constructor(
    protected readonly options: O,
    name: string,
  ) {
    this.accountName = options.account.name;
    this.agentType = `${options.account.name}/${options.region}/${name}`;
    if (options.intervalMs !== undefined) this.intervalMs = options.intervalMs;
  }

  get account(): A {
    return this.options.account;
  }

  get region(): string {
    return this.options.region;
  }

  abstract loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;

  /**
   * `<provider>:<type>:<account>:<region>:*` for each authoritative type: the ids of this account and
   * region when the type's keys are `<provider>:<type>:<account>:<region>:<name>`. Providers whose
   * agents all evict by glob return it from `cacheKeyPatterns()`. It is not the kit's default: agents
   * without patterns (AWS's) do no glob eviction, and giving them one would change what they evict.
   */
  protected regionalKeyPatterns(): Record<string, string> {
    const patterns: Record<string, string> = {};
    for (const { typeName, authority } of this.providedDataTypes) {
      if (authority === 'AUTHORITATIVE') patterns[typeName] = `${this.providerName}:${typeName}:${this.accountName}:${this.region}:*`;
    }
    return patterns;
  }
}
