import type { AgentDataType, AgentRunContext, CacheResult, CachingAgent, ProviderCache } from '@stratus/plugin-api';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureAccountClients, AzureClientFactory } from '../accounts/azure-clients.js';
import { AZURE } from '../keys.js';

export interface AzureAgentOptions {
  readonly account: AzureAccount;
  /** The Azure location this agent caches. */
  readonly region: string;
  readonly clients: AzureClientFactory;
  readonly intervalMs?: number;
}

/** A caching agent bound to one account and region; its type is `<account>/<region>/<Name>`. */
export abstract class AzureCachingAgent implements CachingAgent {
  readonly providerName = AZURE;
  readonly accountName: string;
  readonly agentType: string;
  readonly intervalMs?: number;
  abstract readonly providedDataTypes: readonly AgentDataType[];

  constructor(
    protected readonly options: AzureAgentOptions,
    name: string,
  ) {
    this.accountName = options.account.name;
    this.agentType = `${options.account.name}/${options.region}/${name}`;
    if (options.intervalMs !== undefined) this.intervalMs = options.intervalMs;
  }

  get account(): AzureAccount {
    return this.options.account;
  }

  get region(): string {
    return this.options.region;
  }

  protected get azure(): AzureAccountClients {
    return this.options.clients.forAccount(this.options.account);
  }

  /** Whether an ARM resource lives in this agent's region (ARM spells locations in lower case, tests may not). */
  protected inRegion(resource: { location?: string }): boolean {
    return (resource.location ?? '').toLowerCase().replace(/\s/g, '') === this.region;
  }

  abstract loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;
}

/** Collects an SDK paged list (`for await` follows `nextLink` page after page). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
