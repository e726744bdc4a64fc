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
