import type { Cache } from './cache.js';
import type { CacheData } from './cache-data.js';
import type { PendingOnDemandRequest } from './on-demand-agent.js';

/**
 * Helpers for the two-phase on-demand protocol (Clouddriver's `ClusterCachingAgent`; docs/architecture.md, "On-demand refresh").
 *
 * Phase 1, `OnDemandAgent.handle`: describe the one resource, then
 * ```ts
 * await providerCache.putCacheData(ON_DEMAND_TYPE, onDemandRecord({ key, cacheResults }));
 * return { sourceAgentType: this.agentType, authoritativeTypes, cacheResult: { cacheResults } };
 * ```
 * (when the resource is gone: `evictDeletedItems(ON_DEMAND_TYPE, [key])` and return explicit
 * evictions instead). The server stores the returned result as a *partial* result of
 * `sourceAgentType`, so it never evicts siblings.
 *
 * Phase 2, the next scheduled `loadData`: note `fetchStartMs` before describing, load the records of
 * this agent's resources ({@link loadOnDemandRecords}), call {@link reconcileOnDemandRecords}, lay
 * the usable records over the fresh data ({@link applyUsableRecords}) and return
 * `cacheResults[ON_DEMAND_TYPE] = reconciliation.toWrite` and `evictions[ON_DEMAND_TYPE] =
 * reconciliation.evictable`. Keep `onDemand` out of the agent's authoritative types.
 *
 * `GET /cache/{cloudProvider}/{type}` lists records through {@link toPendingOnDemandRequest}.
 */

/** The CATS type holding on-demand records; ids are the *resource* keys. */
export const ON_DEMAND_TYPE = 'onDemand';

/** How long an on-demand record lives (Clouddriver: 10 minutes). */
export const ON_DEMAND_TTL_SECONDS = 600;

/** What {@link onDemandRecord} builds a record from. */
export interface OnDemandRecordInput {
  /** The resource key the record is for, e.g. `aws:serverGroups:app-main:prod:us-east-1:app-main-v001`. */
  readonly key: string;
  /** The per-type result of describing this one resource, as the scheduled agent would build it. */
  readonly cacheResults: Readonly<Record<string, readonly CacheData[]>>;
  /** Epoch ms of the refresh; `Date.now()` when absent. */
  readonly now?: number | undefined;
  /** The resource's moniker, shown by `GET /cache/{cloudProvider}/{type}`. */
  readonly moniker?: Record<string, unknown> | undefined;
  /** Shown as `details` by `GET /cache/{cloudProvider}/{type}`; typically the parsed key. */
  readonly details?: Record<string, unknown> | undefined;
  /** Defaults to {@link ON_DEMAND_TTL_SECONDS}. */
  readonly ttlSeconds?: number | undefined;
}

/** Builds the `onDemand` record for a freshly refreshed resource (`processedCount` 0, not yet processed). */
export function onDemandRecord(input: OnDemandRecordInput): CacheData {
  const attributes: Record<string, unknown> = {
    cacheTime: input.now ?? Date.now(),
    cacheResults: serializeCacheResults(input.cacheResults),
    processedCount: 0,
  };
  if (input.moniker) attributes.moniker = input.moniker;
  if (input.details) attributes.details = input.details;
  return { id: input.key, ttlSeconds: input.ttlSeconds ?? ON_DEMAND_TTL_SECONDS, attributes, relationships: {} };
}

/** The JSON string stored in `cacheResults`: the per-type result map (a string, as in Clouddriver). */
export function serializeCacheResults(cacheResults: Readonly<Record<string, readonly CacheData[]>>): string {
  const plain: Record<string, CacheData[]> = {};
  for (const [type, items] of Object.entries(cacheResults)) {
    plain[type] = items.map((item) => ({ id: item.id, ttlSeconds: item.ttlSeconds, attributes: item.attributes, relationships: item.relationships }));
  }
  return JSON.stringify(plain);
}

/** The per-type result stored in a record; `{}` when the record has none or it cannot be parsed. */
export function storedCacheResults(record: CacheData): Record<string, CacheData[]> {
  const raw = record.attributes.cacheResults;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return {};
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const result: Record<string, CacheData[]> = {};
  for (const [type, items] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(items)) continue;
    result[type] = items
      .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && typeof item.id === 'string')
      .map((item) => ({
        id: item.id as string,
        ttlSeconds: typeof item.ttlSeconds === 'number' ? item.ttlSeconds : -1,
        attributes: (item.attributes as Record<string, unknown>) ?? {},
        relationships: (item.relationships as Record<string, string[]>) ?? {},
      }));
  }
  return result;
}

const numberOr = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** `cacheTime` of a record (0 when missing, so a malformed record counts as old). */
export function cacheTimeOf(record: CacheData): number {
  return numberOr(record.attributes.cacheTime, 0);
}

/** How many scheduled runs have processed the record. */
export function processedCountOf(record: CacheData): number {
  return numberOr(record.attributes.processedCount, 0);
}

/** Loads the on-demand records whose ids match `glob` (e.g. `aws:serverGroups:*:prod:us-east-1:*`). */
export async function loadOnDemandRecords(cache: Cache, glob: string): Promise<CacheData[]> {
  const ids = await cache.filterIdentifiers(ON_DEMAND_TYPE, glob);
  return ids.length === 0 ? [] : cache.getAllByIds(ON_DEMAND_TYPE, ids);
}

/** Inputs of {@link reconcileOnDemandRecords} besides the records. */
export interface ReconcileOptions {
  /** Epoch ms when the scheduled run started describing the cloud (before the describe call). */
  readonly fetchStartMs: number;
  /** Epoch ms stamped as `processedTime`; `Date.now()` when absent. */
  readonly now?: number;
  /**
   * Resource keys the scheduled describe found. When given, a record for a resource the describe
   * did not find is evictable if it is older than the describe (the resource is gone), and usable
   * if it is newer (created after the describe began: keep the on-demand data so the scheduled run
   * does not evict it). When absent every record is treated as present, as Clouddriver does.
   */
  readonly presentKeys?: Iterable<string>;
}

/** What {@link reconcileOnDemandRecords} decided for each record. */
export interface OnDemandReconciliation {
  /** Records whose stored data replaces the freshly described data. */
  readonly usable: readonly CacheData[];
  /** Ids of records to evict (`cacheTime < fetchStart && processedCount > 0`, or the resource is gone). */
  readonly evictable: readonly string[];
  /** The usable records with `processedCount + 1` and `processedTime = now`, to return under {@link ON_DEMAND_TYPE}. */
  readonly toWrite: readonly CacheData[];
}

/**
 * Decides, for the next scheduled run, what happens to the on-demand records of its resources
 * (docs/architecture.md, "On-demand refresh", step 3): a record not newer than the run's describe that some run already processed is evictable
 * (the scheduled data is at least as fresh); every other record is usable and is stamped processed.
 */
export function reconcileOnDemandRecords(records: readonly CacheData[], options: ReconcileOptions): OnDemandReconciliation {
  const now = options.now ?? Date.now();
  const present = options.presentKeys ? new Set(options.presentKeys) : undefined;
  const usable: CacheData[] = [];
  const evictable: string[] = [];
  const toWrite: CacheData[] = [];
  for (const record of records) {
    const older = cacheTimeOf(record) < options.fetchStartMs;
    const gone = present !== undefined && !present.has(record.id);
    if ((older && processedCountOf(record) > 0) || (older && gone)) {
      evictable.push(record.id);
      continue;
    }
    usable.push(record);
    toWrite.push({
      id: record.id,
      // The stored attributes carry the absolute `cacheExpiry`, so the record keeps its original expiry.
      ttlSeconds: record.ttlSeconds,
      attributes: { ...record.attributes, processedCount: processedCountOf(record) + 1, processedTime: now },
      relationships: {},
    });
  }
  return { usable, evictable, toWrite };
}

/**
 * Lays the data stored in usable records over a freshly built per-type result: an item with the same
 * id is replaced, a missing one is added. Returns a new map; the inputs are not changed.
 */
export function applyUsableRecords(cacheResults: Readonly<Record<string, readonly CacheData[]>>, usable: readonly CacheData[]): Record<string, CacheData[]> {
  const byType = new Map<string, Map<string, CacheData>>();
  for (const [type, items] of Object.entries(cacheResults)) byType.set(type, new Map(items.map((item) => [item.id, item])));
  for (const record of usable) {
    for (const [type, items] of Object.entries(storedCacheResults(record))) {
      let map = byType.get(type);
      if (!map) byType.set(type, (map = new Map()));
      for (const item of items) map.set(item.id, item);
    }
  }
  const result: Record<string, CacheData[]> = {};
  for (const [type, map] of byType) result[type] = [...map.values()];
  return result;
}

/**
 * A record as `GET /cache/{cloudProvider}/{type}` shows it. `details` is the stored `details`
 * attribute, else `parseKey(id)`, else `{}`.
 */
export function toPendingOnDemandRequest(record: CacheData, parseKey?: (key: string) => Record<string, unknown> | undefined): PendingOnDemandRequest {
  const { attributes } = record;
  const details =
    (typeof attributes.details === 'object' && attributes.details !== null ? (attributes.details as Record<string, unknown>) : undefined) ??
    parseKey?.(record.id) ??
    {};
  return {
    id: record.id,
    details,
    ...(typeof attributes.moniker === 'object' && attributes.moniker !== null ? { moniker: attributes.moniker as Record<string, unknown> } : {}),
    cacheTime: cacheTimeOf(record),
    ...(typeof attributes.cacheExpiry === 'number' ? { cacheExpiry: attributes.cacheExpiry } : {}),
    processedCount: processedCountOf(record),
    ...(typeof attributes.processedTime === 'number' ? { processedTime: attributes.processedTime } : {}),
  };
}
