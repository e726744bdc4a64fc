import { markAgentChanged, readConsistently, RegionalCachingAgent, type RegionalAgentOptions } from '@stratus/provider-kit';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureAccountClients, AzureClientFactory } from '../accounts/azure-clients.js';
import { AZURE } from '../keys.js';

/** Options of an Azure agent; its `region` is the Azure location it caches. */
export interface AzureAgentOptions extends RegionalAgentOptions<AzureAccount> {
  readonly clients: AzureClientFactory;
}

/** A caching agent bound to one account and region; its type is `<account>/<region>/<Name>`. */
export abstract class AzureCachingAgent extends RegionalCachingAgent<AzureAccount, AzureAgentOptions> {
  readonly providerName = AZURE;

  /**
   * Every Azure agent evicts by glob: `azure:<type>:<account>:<region>:*` for each type it owns;
   * agents whose keys are shaped otherwise override this.
   */
  cacheKeyPatterns(): Record<string, string> {
    return this.regionalKeyPatterns();
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
   * own refresh already replaced (in this process; other nodes catch up on their next run). The
   * kit's changed-since-the-run-started guard keeps the count.
   */
  markChanged(): void {
    markAgentChanged(this);
  }

  /** Runs `read`, again (up to three reads) while {@link markChanged} was called during it. */
  protected consistentRead<T>(read: () => Promise<T>): Promise<T> {
    return readConsistently(this, read);
  }
}

/** Collects an SDK paged list (`for await` follows `nextLink` page after page). */
export async function collect<T>(items: AsyncIterable<T>, signal?: AbortSignal): Promise<T[]> {
  const out: T[] = [];
  // The generated (TypeSpec) SDK clients hand `abortSignal` to the first page's request only: the
  // next-page requests ignore it. An aborted listing therefore stops here, between pages, and the
  // pending page is raced against the signal so the caller is not held up by it.
  const iterator = items[Symbol.asyncIterator]();
  for (;;) {
    signal?.throwIfAborted();
    const next = await (signal ? raceAbort(iterator.next(), signal) : iterator.next());
    if (next.done) return out;
    out.push(next.value);
  }
}

function raceAbort<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
