import type { AgentDataType, AgentRunContext, CacheResult, CachingAgent, ProviderCache } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsClientFactory, AwsRegionClients } from '../accounts/aws-clients.js';
import { AWS } from '../keys.js';

export interface AwsAgentOptions {
  readonly account: AwsAccount;
  readonly region: string;
  readonly clients: AwsClientFactory;
  readonly intervalMs?: number;
  /** Page size for paginated describes; each agent's API maximum when absent (tests use small pages). */
  readonly pageSize?: number;
}

/** A caching agent bound to one account and region; its type is `<account>/<region>/<Name>`. */
export abstract class AwsCachingAgent implements CachingAgent {
  readonly providerName = AWS;
  readonly accountName: string;
  readonly agentType: string;
  readonly intervalMs?: number;
  abstract readonly providedDataTypes: readonly AgentDataType[];

  constructor(protected readonly options: AwsAgentOptions, name: string) {
    this.accountName = options.account.name;
    this.agentType = `${options.account.name}/${options.region}/${name}`;
    if (options.intervalMs !== undefined) this.intervalMs = options.intervalMs;
  }

  get account(): AwsAccount {
    return this.options.account;
  }

  get region(): string {
    return this.options.region;
  }

  /** The page size to request, capped by the API's own maximum. */
  protected pageSize(max: number): number {
    return Math.min(this.options.pageSize ?? max, max);
  }

  protected get aws(): AwsRegionClients {
    return this.options.clients.forRegion(this.options.account, this.options.region);
  }

  abstract loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;
}

/**
 * How many times an operation marked the agent changed: bumped by {@link markAgentChanged} before
 * an operation's own refresh, read by {@link withConsistentReads}.
 */
const changeCounts = new WeakMap<CachingAgent, number>();

/** An operation changed what `agent` caches (its own refresh follows). */
export function markAgentChanged(agent: CachingAgent): void {
  changeCounts.set(agent, (changeCounts.get(agent) ?? 0) + 1);
}

/**
 * Makes the agent's `loadData` read again (up to three reads) when an operation marked it changed
 * while the read was in flight, so a scheduled run that described the cloud before the operation
 * cannot write back what the operation's own refresh already replaced (in this process; other
 * nodes catch up on their next run). Wraps the instance, leaving each agent's code alone.
 */
export function withConsistentReads<A extends CachingAgent>(agent: A): A {
  const read = agent.loadData.bind(agent);
  agent.loadData = async (cache, context) => {
    for (let attempt = 1; ; attempt++) {
      const before = changeCounts.get(agent) ?? 0;
      const result = await read(cache, context);
      if ((changeCounts.get(agent) ?? 0) === before || attempt === 3) return result;
    }
  };
  return agent;
}
