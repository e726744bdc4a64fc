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
  /** Bumped by {@link markChanged}: an operation changed what this agent caches. */
  private changes = 0;

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

  /**
   * An operation just changed what this agent caches. A run whose reads began before is read again
   * (see {@link consistentRead}), so a scheduled run in flight cannot write back what the operation's
   * own refresh already replaced (in this process; other nodes catch up on their next run).
   */
  markChanged(): void {
    this.changes++;
  }

  /** Runs `read`, again (up to three times) while {@link markChanged} was called during it. */
  protected async consistentRead<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const before = this.changes;
      const result = await read();
      if (this.changes === before || attempt === 3) return result;
    }
  }

  abstract loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult>;
}

/** Collects an SDK paged list (`for await` follows `nextLink` page after page). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Maps with at most `limit` calls in flight (one list call per scale set must not open hundreds of requests at once). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
