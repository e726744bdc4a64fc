import {
  monikerOf,
  ON_DEMAND_TYPE,
  onDemandRecord,
  type CacheResult,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import { keepSiblingEdges, mergeOnDemandRecords, pendingOnDemandRequests, type CacheResultsByType } from './on-demand-merge.js';

const SERVER_GROUPS = 'serverGroups';

/** The server group caching agent the on-demand side belongs to (a `RegionalCachingAgent`). */
export interface ServerGroupOnDemandAgent {
  /** The cloud provider requests name, which is also the first segment of its keys (`aws`). */
  readonly providerName: string;
  readonly accountName: string;
  readonly region: string;
  /** The source agent of what a refresh writes. */
  readonly agentType: string;
}

export interface ServerGroupOnDemandSpec {
  readonly parseKey: (key: string) => Record<string, string> | undefined;
  /** The edges a one-group result keeps from the cache, as {@link keepSiblingEdges} takes them. */
  readonly siblingEdges: ReadonlyArray<readonly [type: string, edgeTypes: readonly string[]]>;
  /** Request fields that name the group, the first present one wins; `serverGroupName` unless said. */
  readonly nameFields?: readonly string[];
  /** Request fields that name the account, the first present one wins; `account`, `credentials`, `accountName` unless said. */
  readonly accountFields?: readonly string[];
  readonly now: () => number;
}

/** The first field of `data` that is neither null nor undefined, as `a ?? b ?? c` reads it. */
function firstPresent(data: Record<string, unknown>, fields: readonly string[]): unknown {
  for (const field of fields) if (data[field] !== undefined && data[field] !== null) return data[field];
  return undefined;
}

/**
 * The server group caching agent's side of the two-phase on-demand protocol (docs/architecture.md,
 * "On-demand refresh"), the same for every regional provider: which requests are the agent's, the
 * record a refresh stores, the result of a refresh that found the group or found it gone, the
 * reconciliation in the next full run and the pending list. The agent keeps only the describe.
 */
export class ServerGroupOnDemand {
  /** `<provider>:serverGroups:*:<account>:<region>:*`: the server group (and record) ids the agent owns. */
  readonly glob: string;
  readonly onDemandAgentType: string;

  private readonly agent: ServerGroupOnDemandAgent;

  constructor(
    agent: ServerGroupOnDemandAgent,
    private readonly spec: ServerGroupOnDemandSpec,
  ) {
    // Copied, not kept: the ids are fixed when the agent is built.
    this.agent = { providerName: agent.providerName, accountName: agent.accountName, region: agent.region, agentType: agent.agentType };
    this.glob = `${agent.providerName}:${SERVER_GROUPS}:*:${agent.accountName}:${agent.region}:*`;
    this.onDemandAgentType = `${agent.agentType}-OnDemand`;
  }

  handles(type: string, cloudProvider: string): boolean {
    return cloudProvider === this.agent.providerName && type.toLowerCase() === 'servergroup';
  }

  /** The group a request names when it is for this agent's account and region; `undefined` when it is not the agent's. */
  nameOf(data: Record<string, unknown>): string | undefined {
    const name = firstPresent(data, this.spec.nameFields ?? ['serverGroupName']);
    const account = firstPresent(data, this.spec.accountFields ?? ['account', 'credentials', 'accountName']);
    if (typeof name !== 'string' || name === '' || account !== this.agent.accountName || data.region !== this.agent.region) return undefined;
    return name;
  }

  /** A refresh that found the group: keeps sibling edges, stores the record, and answers with the result plus `evictions` (empty lists dropped). */
  async stored(
    providerCache: ProviderCache,
    found: { key: string; name: string; results: CacheResultsByType },
    evictions: Readonly<Record<string, readonly string[]>> = {},
  ): Promise<OnDemandResult> {
    const { key, name, results } = found;
    await keepSiblingEdges(providerCache, results, this.spec.siblingEdges);
    await providerCache.putCacheData(
      ON_DEMAND_TYPE,
      onDemandRecord({ key, cacheResults: results, now: this.spec.now(), moniker: monikerOf(name), details: this.spec.parseKey(key) }),
    );
    const nonEmpty = Object.fromEntries(
      Object.entries(evictions)
        .filter(([, ids]) => ids.length > 0)
        .map(([type, ids]) => [type, [...ids]]),
    );
    return this.result({ cacheResults: results, ...(Object.keys(nonEmpty).length > 0 ? { evictions: nonEmpty } : {}) });
  }

  /** A refresh that found the group gone: drops its records and evicts `keys` (plus `evictions`, e.g. its instances). */
  async gone(providerCache: ProviderCache, keys: readonly string[], evictions: Readonly<Record<string, readonly string[]>> = {}): Promise<OnDemandResult> {
    await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [...keys]);
    const all: Record<string, string[]> = { [SERVER_GROUPS]: [...keys] };
    for (const [type, ids] of Object.entries(evictions)) all[type] = [...ids];
    return this.result({ cacheResults: {}, evictions: all });
  }

  /** The full run's second phase: {@link mergeOnDemandRecords} over this agent's records. */
  merge(
    providerCache: ProviderCache,
    results: CacheResultsByType,
    fetchStartMs: number,
    introspection: Readonly<Record<string, unknown>>,
  ): Promise<CacheResult> {
    return mergeOnDemandRecords(providerCache, results, { glob: this.glob, fetchStartMs, now: this.spec.now(), introspection });
  }

  pending(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return pendingOnDemandRequests(providerCache, this.glob, this.spec.parseKey);
  }

  private result(cacheResult: CacheResult): OnDemandResult {
    return { sourceAgentType: this.agent.agentType, authoritativeTypes: [SERVER_GROUPS], cacheResult };
  }
}
