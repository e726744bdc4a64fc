import {
  ON_DEMAND_TYPE,
  cacheTimeOf,
  silentLogger,
  storedCacheResults,
  type AgentRunContext,
  type Logger,
  type ProviderCache,
  type RunnableAgent,
} from '@stratus/plugin-api';
import type { OnDemandAgentSource } from './on-demand-agent-source.js';

export interface OnDemandRecordCleanupOptions {
  /** Records older than this are removed (Clouddriver SQL: 30 min). */
  readonly maxAgeMs?: number;
  /** Default 30 min, as Clouddriver's `CleanupPendingOnDemandCachesAgent`. */
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly logger?: Logger;
}

/**
 * Housekeeping for `onDemand` records in every provider cache that has on-demand agents (Clouddriver's
 * `CleanupPendingOnDemandCachesAgent` and `SqlCleanupStaleOnDemandCachesAgent` in one). Removes:
 * - stale records: `cacheTime` older than `maxAgeMs` (or missing), which no scheduled run will use;
 * - dangling records: already processed, but the resource they describe is no longer cached.
 * Not bound to an account, so it bypasses sharding.
 */
export class OnDemandRecordCleanupAgent implements RunnableAgent {
  readonly agentType = 'OnDemandRecordCleanupAgent';
  readonly providerName = 'core';
  readonly intervalMs: number;
  readonly timeoutMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(
    private readonly source: OnDemandAgentSource,
    options: OnDemandRecordCleanupOptions = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 30 * 60_000;
    this.intervalMs = options.intervalMs ?? 30 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
  }

  async run(context: AgentRunContext): Promise<void> {
    const caches = [...new Set(this.source.onDemandAgents().map((binding) => binding.providerCache))];
    for (const cache of caches) {
      if (context.signal.aborted) return;
      const removed = await this.clean(cache);
      if (removed.length > 0) this.logger.info({ removed: removed.length }, 'removed stale on-demand records');
    }
  }

  /** Removes the stale and dangling records of one cache; returns their ids. */
  async clean(cache: ProviderCache): Promise<string[]> {
    const records = await cache.getAll(ON_DEMAND_TYPE, { relationshipPrefixes: [] });
    const cutoff = this.now() - this.maxAgeMs;
    const doomed: string[] = [];
    for (const record of records) {
      if (cacheTimeOf(record) < cutoff) doomed.push(record.id);
      else if (Number(record.attributes.processedCount ?? 0) > 0 && (await this.resourceGone(cache, record.id, storedCacheResults(record)))) {
        doomed.push(record.id);
      }
    }
    if (doomed.length > 0) await cache.evictDeletedItems(ON_DEMAND_TYPE, doomed);
    return doomed;
  }

  /** True when the record's resource (an item with the record's id in its stored result) is no longer cached. */
  private async resourceGone(cache: ProviderCache, id: string, stored: Record<string, { id: string }[]>): Promise<boolean> {
    const types = Object.entries(stored)
      .filter(([, items]) => items.some((item) => item.id === id))
      .map(([type]) => type);
    if (types.length === 0) return false;
    for (const type of types) if ((await cache.existingIdentifiers(type, [id])).length > 0) return false;
    return true;
  }
}
