import {
  applyUsableRecords,
  loadOnDemandRecords,
  ON_DEMAND_TYPE,
  reconcileOnDemandRecords,
  toPendingOnDemandRequest,
  type CacheData,
  type CacheResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';

/** A caching agent's results by type, as its builders produce them. */
export type CacheResultsByType = Record<string, CacheData[]>;

export interface OnDemandMergeOptions {
  /** The glob of the on-demand record keys this agent owns (its server group keys). */
  readonly glob: string;
  /** When the run began reading the cloud: records written after it are newer than this run. */
  readonly fetchStartMs: number;
  readonly now: number;
  /** The type whose ids the run found (the records' keys); `serverGroups` unless said. */
  readonly presentType?: string;
  /** Counts to show in the agent's introspection, next to the on-demand counts. */
  readonly introspection?: Readonly<Record<string, unknown>>;
}

/**
 * The second phase of the on-demand protocol for a full run: loads the agent's on-demand records,
 * keeps the ones newer than the run (their items replace the run's), writes back those still
 * pending and evicts the ones the run has made obsolete.
 */
export async function mergeOnDemandRecords(providerCache: ProviderCache, results: CacheResultsByType, options: OnDemandMergeOptions): Promise<CacheResult> {
  const records = await loadOnDemandRecords(providerCache, options.glob);
  const reconciliation = reconcileOnDemandRecords(records, {
    fetchStartMs: options.fetchStartMs,
    now: options.now,
    presentKeys: (results[options.presentType ?? 'serverGroups'] ?? []).map((item) => item.id),
  });
  const merged = applyUsableRecords(results, reconciliation.usable);
  return {
    cacheResults: { ...merged, [ON_DEMAND_TYPE]: [...reconciliation.toWrite] },
    evictions: reconciliation.evictable.length > 0 ? { [ON_DEMAND_TYPE]: [...reconciliation.evictable] } : {},
    introspectionDetails: { ...options.introspection, onDemandUsable: reconciliation.usable.length, onDemandEvicted: reconciliation.evictable.length },
  };
}

/** The pending on-demand requests of an agent (`GET /cache/{provider}/{type}`), from its records. */
export async function pendingOnDemandRequests(
  providerCache: ProviderCache,
  glob: string,
  parseKey: (key: string) => Record<string, string> | undefined,
): Promise<PendingOnDemandRequest[]> {
  const records = await loadOnDemandRecords(providerCache, glob);
  return records.map((record) => toPendingOnDemandRequest(record, parseKey));
}

/**
 * A one-group on-demand result would replace the agent's cluster → server group (and application →
 * cluster) edges with just that group; this unions in the edges already cached so siblings stay
 * linked until the next full run rewrites the exact lists. `edges` maps a type to the relationship
 * types to keep; `results` is updated in place.
 */
export async function keepSiblingEdges(
  providerCache: ProviderCache,
  results: CacheResultsByType,
  edges: ReadonlyArray<readonly [type: string, edgeTypes: readonly string[]]>,
): Promise<void> {
  for (const [type, edgeTypes] of edges) {
    const items = results[type] ?? [];
    const cached = new Map(
      (
        await providerCache.getAllByIds(
          type,
          items.map((i) => i.id),
        )
      ).map((c) => [c.id, c]),
    );
    results[type] = items.map((item) => {
      const existing = cached.get(item.id);
      if (!existing) return item;
      const relationships: Record<string, string[]> = { ...item.relationships } as Record<string, string[]>;
      for (const edge of edgeTypes) relationships[edge] = [...new Set([...(existing.relationships[edge] ?? []), ...(item.relationships[edge] ?? [])])];
      return { ...item, relationships };
    });
  }
}
