import type { VirtualMachineScaleSet } from '@azure/arm-compute';
import type { Frontend } from '../azure-types.js';
import {
  authoritative,
  informative,
  monikerOf,
  ON_DEMAND_TYPE,
  onDemandRecord,
  type CacheResult,
  type OnDemandAgent,
  type OnDemandResult,
  type PendingOnDemandRequest,
  type ProviderCache,
  type AgentRunContext,
} from '@stratus/plugin-api';
import {
  definedOnly,
  keepSiblingEdges as unionSiblingEdges,
  mapLimit,
  mergeOnDemandRecords,
  pendingOnDemandRequests as pendingRequestsOf,
} from '@stratus/provider-kit';
import { AZURE, Keys, parseKey, Types } from '../keys.js';
import { named, resourceGroupOf } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

/** VM list calls of one run in flight at once. */
const VM_LIST_CONCURRENCY = 8;
import { buildServerGroupResults, frontendKey, networkOf, type ScaleSetWithVms, type ServerGroupCacheResults } from './server-group-data.js';

/**
 * Caches the virtual machine scale sets of one region as server groups and their VMs as instances
 * (both authoritative), with load balancer membership and whether the group serves traffic;
 * contributes clusters and applications (informative: a cluster spans regions, so evicting them is
 * the cleanup agent's job). Also the on-demand agent for `ServerGroup`, with the two-phase protocol.
 */
export class AzureServerGroupCachingAgent extends AzureCachingAgent implements OnDemandAgent {
  readonly providedDataTypes = [
    authoritative(Types.serverGroups),
    authoritative(Types.instances),
    informative(Types.clusters),
    informative(Types.applications),
    informative(Types.loadBalancers),
  ];
  readonly onDemandAgentType: string;

  constructor(
    options: AzureAgentOptions,
    private readonly now: () => number = Date.now,
  ) {
    super(options, 'AzureServerGroupCachingAgent');
    this.onDemandAgentType = `${this.agentType}-OnDemand`;
  }

  private get serverGroupGlob(): string {
    return `azure:serverGroups:*:${this.account.name}:${this.region}:*`;
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.serverGroups]: this.serverGroupGlob, [Types.instances]: `azure:instances:${this.account.name}:${this.region}:*` };
  }

  async loadData(providerCache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    let fetchStartMs = this.now();
    const abortSignal = context?.signal;
    const { scaleSets, results } = await this.consistentRead(async () => {
      fetchStartMs = this.now();
      const scaleSets = (await collect(this.azure.compute.virtualMachineScaleSets.listAll(definedOnly({ abortSignal })), abortSignal)).filter((s) => this.inRegion(s)).filter(named);
      return { scaleSets, results: await this.build(scaleSets, abortSignal) };
    });

    return mergeOnDemandRecords(providerCache, results, {
      glob: this.serverGroupGlob,
      fetchStartMs,
      now: this.now(),
      introspection: { scaleSets: scaleSets.length },
    });
  }

  /** VMs of each scale set and the region's load balancers (for the disabled state), then the cache items. */
  private async build(scaleSets: readonly (VirtualMachineScaleSet & { name: string })[], abortSignal?: AbortSignal): Promise<ServerGroupCacheResults> {
    const compute = this.azure.compute;
    const withVms: ScaleSetWithVms[] = await mapLimit(scaleSets, VM_LIST_CONCURRENCY, async (scaleSet) => ({
      scaleSet,
      vms: await collect(
        compute.virtualMachineScaleSetVMs.list(resourceGroupOf(scaleSet.id), scaleSet.name, { expand: 'instanceView', ...definedOnly({ abortSignal }) }),
        abortSignal,
      ),
    }));
    // Whether a group takes traffic is read from the rules of the frontends it is behind.
    const frontends = new Map<string, Frontend>();
    if (scaleSets.some((s) => networkOf(s).pools.length > 0)) {
      const [loadBalancers, gateways] = await Promise.all([
        collect(this.azure.network.loadBalancers.listAll(definedOnly({ abortSignal })), abortSignal),
        collect(this.azure.network.applicationGateways.listAll(definedOnly({ abortSignal })), abortSignal),
      ]);
      for (const lb of loadBalancers) if (this.inRegion(lb) && lb.name) frontends.set(frontendKey('loadBalancer', lb.name), lb);
      for (const gw of gateways) if (this.inRegion(gw) && gw.name) frontends.set(frontendKey('applicationGateway', gw.name), gw);
    }
    return buildServerGroupResults(withVms, this.account.name, this.region, frontends);
  }

  // ---- on-demand ----

  handles(type: string, cloudProvider: string): boolean {
    return cloudProvider === AZURE && type.toLowerCase() === 'servergroup';
  }

  /** Describes one scale set live; found → record + result, gone → evictions. `undefined` when not ours. */
  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = data.serverGroupName;
    const account = data.account ?? data.credentials ?? data.accountName;
    if (typeof name !== 'string' || name === '' || account !== this.account.name || data.region !== this.region) return undefined;
    const key = Keys.serverGroup(this.account.name, this.region, name);
    const found = await this.describeOne(name);
    if (!found) {
      await providerCache.evictDeletedItems(ON_DEMAND_TYPE, [key]);
      const cached = await providerCache.get(Types.serverGroups, key);
      return {
        sourceAgentType: this.agentType,
        authoritativeTypes: [Types.serverGroups],
        cacheResult: { cacheResults: {}, evictions: { [Types.serverGroups]: [key], [Types.instances]: cached?.relationships[Types.instances] ?? [] } },
      };
    }
    await this.keepSiblingEdges(providerCache, found);
    await providerCache.putCacheData(
      ON_DEMAND_TYPE,
      onDemandRecord({ key, cacheResults: found, now: this.now(), moniker: monikerOf(name), details: parseKey(key) }),
    );
    // Instances the group no longer has (terminated, scaled in) leave with this refresh.
    const cached = await providerCache.get(Types.serverGroups, key);
    const present = new Set((found[Types.instances] ?? []).map((i) => i.id));
    const gone = (cached?.relationships[Types.instances] ?? []).filter((id) => !present.has(id));
    return {
      sourceAgentType: this.agentType,
      authoritativeTypes: [Types.serverGroups],
      cacheResult: { cacheResults: found, ...(gone.length > 0 ? { evictions: { [Types.instances]: gone } } : {}) },
    };
  }

  /**
   * A one-group result would replace this agent's cluster → server group (and application →
   * cluster) edges with just that group; union in the cached edges so siblings stay linked.
   */
  private async keepSiblingEdges(providerCache: ProviderCache, results: ServerGroupCacheResults): Promise<void> {
    await unionSiblingEdges(providerCache, results, [
      [Types.clusters, [Types.serverGroups, Types.loadBalancers]],
      [Types.applications, [Types.clusters, Types.serverGroups]],
      [Types.loadBalancers, [Types.serverGroups]],
    ]);
  }

  /** The cache items for one scale set of this region, or undefined when it does not exist. */
  async describeOne(name: string): Promise<ServerGroupCacheResults | undefined> {
    // Names are unique per resource group only; the subscription-wide list finds the group wherever it lives.
    const scaleSet = (await collect(this.azure.compute.virtualMachineScaleSets.listAll())).filter(named).find((s) => s.name === name && this.inRegion(s));
    return scaleSet ? this.build([scaleSet]) : undefined;
  }

  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return pendingRequestsOf(providerCache, this.serverGroupGlob, parseKey);
  }
}
