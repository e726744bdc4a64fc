import { RegionalCachingAgent, type RegionalAgentOptions } from '@stratus/provider-kit';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients, GceClientFactory } from '../accounts/gce-clients.js';
import { GCE } from '../keys.js';
import type { ConsulAgentUrl } from '../ops/consul-agent.js';
import { lastSegment } from '../plain.js';

/** Options of a GCE agent; its `region` is a region name, or `global` for account-wide agents. */
export interface GceAgentOptions extends RegionalAgentOptions<GceAccount> {
  readonly clients: GceClientFactory;
  /** Where an instance's Consul agent answers (accounts with `consul.enabled`); `http://<instance>:<port>` by default. */
  readonly consulAgentUrl?: ConsulAgentUrl;
}

/** A caching agent bound to one account and region (or `global`); its type is `<account>/<region>/<Name>`. */
export abstract class GceCachingAgent extends RegionalCachingAgent<GceAccount, GceAgentOptions> {
  readonly providerName = GCE;
  private zonesPromise: Promise<string[]> | undefined;

  /**
   * Every GCE agent evicts by glob: `gce:<type>:<account>:<region>:*` for each type it owns (the
   * account-wide agents' `region` is `global`); agents whose keys are shaped otherwise override this.
   */
  cacheKeyPatterns(): Record<string, string> {
    return this.regionalKeyPatterns();
  }

  protected get gce(): GceAccountClients {
    return this.options.clients.forAccount(this.options.account);
  }

  /** List-call options: the account timeout, pages fetched one by one. */
  protected get listOptions() {
    return { ...this.gce.callOptions, autoPaginate: false };
  }

  /** The zones of this agent's region: configured, else `regions.get` (asked once, retried after a failure). */
  protected zones(): Promise<string[]> {
    const configured = this.account.regions.find((r) => r.name === this.region)?.zones ?? [];
    if (configured.length > 0) return Promise.resolve([...configured]);
    this.zonesPromise ??= this.gce.regions
      .get({ project: this.account.project, region: this.region }, this.gce.callOptions)
      .then(([region]) => (region.zones ?? []).map((z) => lastSegment(z)).sort())
      .catch((error: unknown) => {
        this.zonesPromise = undefined;
        throw error;
      });
    return this.zonesPromise;
  }
}

/**
 * Collects an SDK async iterable (`client.listAsync(…)`), which fetches page after page; stops with
 * the signal's reason once `signal` is aborted (the run was abandoned), so no further page is asked.
 */
export async function collect<T>(items: AsyncIterable<T>, signal?: AbortSignal): Promise<T[]> {
  signal?.throwIfAborted();
  const out: T[] = [];
  for await (const item of items) {
    signal?.throwIfAborted();
    out.push(item);
  }
  return out;
}
