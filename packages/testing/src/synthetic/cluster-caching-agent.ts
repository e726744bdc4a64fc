import {
  applyUsableRecords,
  authoritative,
  cacheData,
  informative,
  loadOnDemandRecords,
  monikerOf,
  ON_DEMAND_TYPE,
  onDemandRecord,
  reconcileOnDemandRecords,
  toPendingOnDemandRequest,
  type AgentDataType,
  type CacheData,
  type CacheResult,
  type CachingAgent,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import { SYNTHETIC_PROVIDER_NAME, syntheticAgentType, type SyntheticAgentOptions } from './synthetic-agent-options.js';
import { informativeItems, serverGroupData } from './synthetic-cache-data.js';
import { SYNTHETIC, SyntheticKeys, parseSyntheticKey } from './synthetic-keys.js';

/**
 * Caches the server groups of one account and region (AWS's ClusterCachingAgent). Authoritative for
 * `serverGroups`; informative for `clusters`, `applications` and the load-balancer → server-group
 * edges, which the agents of every region contribute to. It retracts its own edges from clusters,
 * applications and load balancers it no longer feeds (so edges never outlive the server groups), and
 * {@link SyntheticClusterCleanupAgent} evicts clusters and applications left without server groups.
 *
 * It is also the `ServerGroup` on-demand agent, with Clouddriver's two-phase protocol: `handle`
 * stores an `onDemand` record and returns the refreshed server group as a partial result of this
 * agent; the next scheduled run lays usable records over its describe and stamps them processed.
 */
export class SyntheticClusterCachingAgent implements CachingAgent, OnDemandAgent {
  static readonly NAME = 'SyntheticClusterCachingAgent';
  readonly agentType: string;
  readonly onDemandAgentType: string;
  readonly providerName = SYNTHETIC_PROVIDER_NAME;
  readonly accountName: string;
  readonly intervalMs?: number;
  readonly providedDataTypes: readonly AgentDataType[] = [
    authoritative('serverGroups'),
    informative('clusters'),
    informative('applications'),
    informative('loadBalancers'),
    informative(ON_DEMAND_TYPE),
  ];
  private readonly now: () => number;

  constructor(private readonly options: SyntheticAgentOptions) {
    this.agentType = syntheticAgentType(options.account, options.region, SyntheticClusterCachingAgent.NAME);
    this.onDemandAgentType = `${this.agentType}-OnDemand`;
    this.accountName = options.account;
    if (options.intervalMs !== undefined) this.intervalMs = options.intervalMs;
    this.now = options.now ?? Date.now;
  }

  cacheKeyPatterns(): Readonly<Record<string, string>> {
    return { serverGroups: SyntheticKeys.serverGroupGlob(this.options.account, this.options.region) };
  }

  async loadData(providerCache: ProviderCache): Promise<CacheResult> {
    const { account, region, cloud } = this.options;
    const fetchStartMs = this.now();
    const fresh = cloud.listServerGroups(region).map((group) => serverGroupData(account, group));

    const records = await loadOnDemandRecords(providerCache, SyntheticKeys.serverGroupGlob(account, region));
    const reconciliation = reconcileOnDemandRecords(records, { fetchStartMs, now: this.now(), presentKeys: fresh.map((item) => item.id) });
    const serverGroups = applyUsableRecords({ serverGroups: fresh }, reconciliation.usable).serverGroups ?? [];
    const { clusters, applications, loadBalancers } = informativeItems(serverGroups);

    return {
      cacheResults: {
        serverGroups,
        clusters: [
          ...clusters,
          ...(await this.retractions(providerCache, 'clusters', SyntheticKeys.clusterGlob(account), clusters, ['serverGroups', 'loadBalancers'])),
        ],
        applications: [...applications, ...(await this.retractions(providerCache, 'applications', `${SYNTHETIC}:applications:*`, applications, ['clusters']))],
        loadBalancers: [
          ...loadBalancers,
          ...(await this.retractions(providerCache, 'loadBalancers', SyntheticKeys.loadBalancerGlob(account, region), loadBalancers, ['serverGroups'])),
        ],
        [ON_DEMAND_TYPE]: [...reconciliation.toWrite],
      },
      evictions: reconciliation.evictable.length > 0 ? { [ON_DEMAND_TYPE]: [...reconciliation.evictable] } : {},
      introspectionDetails: { serverGroups: serverGroups.length, onDemandUsed: reconciliation.usable.length, onDemandEvicted: reconciliation.evictable.length },
    };
  }

  /**
   * Empty edge lists (and no attributes, which leave stored attributes alone) for the informative
   * items this agent may have fed before but does not feed now: relationships are owned per source
   * agent, so only this agent can take its own edges back.
   */
  private async retractions(
    providerCache: ProviderCache,
    type: string,
    glob: string,
    current: readonly CacheData[],
    relationshipNames: readonly string[],
  ): Promise<CacheData[]> {
    const fed = new Set(current.map((item) => item.id));
    const empty = Object.fromEntries(relationshipNames.map((name) => [name, [] as string[]]));
    return (await providerCache.filterIdentifiers(type, glob)).filter((id) => !fed.has(id)).map((id) => cacheData(id, {}, empty));
  }

  // ---- on demand ----

  handles(type: string, cloudProvider: string): boolean {
    return type.toLowerCase() === 'servergroup' && cloudProvider === SYNTHETIC;
  }

  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const { account, region, cloud } = this.options;
    const name = data.serverGroupName ?? data.asgName;
    if (typeof name !== 'string' || data.account !== account || data.region !== region) return undefined;
    const key = SyntheticKeys.serverGroup(account, region, name);
    const group = cloud.getServerGroup(region, name);
    if (!group) {
      await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [key]);
      return {
        sourceAgentType: this.agentType,
        authoritativeTypes: ['serverGroups'],
        cacheResult: { cacheResults: {}, evictions: { serverGroups: [key] }, partialResult: true },
      };
    }
    const item = serverGroupData(account, group);
    await providerCache.putCacheData(
      ON_DEMAND_TYPE,
      onDemandRecord({ key, cacheResults: { serverGroups: [item] }, now: this.now(), moniker: monikerOf(name), details: parseSyntheticKey(key) ?? {} }),
    );
    return {
      sourceAgentType: this.agentType,
      authoritativeTypes: ['serverGroups'],
      cacheResult: { cacheResults: await this.partialResultFor(providerCache, item), partialResult: true },
    };
  }

  /**
   * The result of refreshing one server group, as a partial result of this agent. Informative edge
   * lists are replaced per source, so each carries this agent's existing edges (recognisable by the
   * account and region in the key) plus the refreshed server group, never just the one.
   */
  async partialResultFor(providerCache: ProviderCache, item: CacheData): Promise<Record<string, CacheData[]>> {
    const { account, region } = this.options;
    const mine = (key: string) => key.includes(`:${account}:${region}:`);
    const implied = informativeItems([item]);
    const withExisting = async (type: string, items: CacheData[], keep: (key: string) => boolean) => {
      const existing = new Map(
        (
          await providerCache.getAllByIds(
            type,
            items.map((i) => i.id),
          )
        ).map((i) => [i.id, i]),
      );
      return items.map((i) => {
        const relationships: Record<string, string[]> = {};
        for (const [name, ids] of Object.entries(i.relationships)) {
          const edges = new Set((existing.get(i.id)?.relationships[name] ?? []).filter(keep));
          for (const id of ids) edges.add(id);
          relationships[name] = [...edges];
        }
        return cacheData(i.id, i.attributes, relationships);
      });
    };
    return {
      serverGroups: [item],
      clusters: await withExisting('clusters', implied.clusters, mine),
      applications: await withExisting('applications', implied.applications, (key) => key.includes(`:${account}:`)),
      loadBalancers: await withExisting('loadBalancers', implied.loadBalancers, mine),
    };
  }

  async pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    const records = await loadOnDemandRecords(providerCache, SyntheticKeys.serverGroupGlob(this.options.account, this.options.region));
    return records.map((record) => toPendingOnDemandRequest(record, parseSyntheticKey));
  }
}
