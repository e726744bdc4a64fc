import {
  ON_DEMAND_TYPE,
  authoritative,
  informative,
  onDemandRecord,
  type AgentDataType,
  type AgentRunContext,
  type CacheResult,
  type CachingAgent,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
} from '@stratus/plugin-api';
import { mergeOnDemandRecords, pendingOnDemandRequests } from '@stratus/provider-kit';
import type { NimbusAccount } from './nimbus-account.js';
import { AUTHORITATIVE_TYPES, groupCacheResults } from './nimbus-cache-data.js';
import type { NimbusClient } from './nimbus-client.js';
import { NIMBUS, NimbusKeys, NimbusTypes, parseNimbusKey } from './nimbus-keys.js';
import { monikerOf } from './names.js';

/**
 * Caches the server groups and instances of one account and region, and refreshes single server
 * groups on demand (`POST /cache/nimbus/serverGroup`).
 *
 * Why one class: the server only schedules caching (or runnable) agents, and an on-demand refresh
 * must be stored as a partial result of the scheduled agent that owns the resource, whose next run
 * then reconciles the refresh record (Clouddriver's `ClusterCachingAgent` does the same).
 */
export class NimbusCachingAgent implements CachingAgent, OnDemandAgent {
  readonly providerName = NIMBUS;
  readonly accountName: string;
  readonly agentType: string;
  readonly onDemandAgentType: string;
  readonly intervalMs: number;
  readonly providedDataTypes: readonly AgentDataType[] = [
    ...AUTHORITATIVE_TYPES.map(authoritative),
    informative(NimbusTypes.clusters),
    informative(NimbusTypes.applications),
  ];

  constructor(
    private readonly account: NimbusAccount,
    private readonly region: string,
    private readonly client: NimbusClient,
    private readonly now: () => number = Date.now,
  ) {
    this.accountName = account.name;
    // `<account>/` first: the scheduler shards on it.
    this.agentType = `${account.name}/${region}/NimbusCachingAgent`;
    this.onDemandAgentType = `${this.agentType}-OnDemand`;
    this.intervalMs = account.cacheIntervalSeconds * 1000;
  }

  async loadData(providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const fetchStartMs = this.now();
    const groups = await this.client.listGroups(this.region, context.signal);
    const fresh = groupCacheResults(this.account.name, this.region, groups);
    // Phase 2 of on-demand (the kit's merge): refresh records newer than this describe win; old,
    // processed ones go.
    const glob = NimbusKeys.serverGroupGlob(this.account.name, this.region);
    return mergeOnDemandRecords(providerCache, fresh, { glob, fetchStartMs, now: this.now(), presentType: NimbusTypes.serverGroups });
  }

  handles(type: string, cloudProvider: string): boolean {
    return cloudProvider === NIMBUS && type.toLowerCase() === 'servergroup';
  }

  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = data.serverGroupName ?? data.name;
    if (data.account !== this.account.name || data.region !== this.region || typeof name !== 'string' || name === '') return undefined;
    const key = NimbusKeys.serverGroup(this.account.name, this.region, name);
    const group = await this.client.getGroup(this.region, name);
    if (!group) {
      // Gone: drop any refresh record and evict the group and the instances the cache knew it had.
      const known = await providerCache.get(NimbusTypes.serverGroups, key);
      await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [key]);
      return {
        sourceAgentType: this.agentType,
        authoritativeTypes: [...AUTHORITATIVE_TYPES],
        cacheResult: { cacheResults: {}, evictions: { serverGroups: [key], instances: [...(known?.relationships.instances ?? [])] } },
      };
    }
    const cacheResults = groupCacheResults(this.account.name, this.region, [group]);
    await providerCache.putCacheData(
      ON_DEMAND_TYPE,
      onDemandRecord({ key, cacheResults, now: this.now(), moniker: monikerOf(name), details: parseNimbusKey(key) ?? {} }),
    );
    return { sourceAgentType: this.agentType, authoritativeTypes: [...AUTHORITATIVE_TYPES], cacheResult: { cacheResults } };
  }

  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return pendingOnDemandRequests(providerCache, NimbusKeys.serverGroupGlob(this.account.name, this.region), parseNimbusKey);
  }
}
