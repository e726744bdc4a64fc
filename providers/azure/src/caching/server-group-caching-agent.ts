import type { VirtualMachineScaleSet } from '@azure/arm-compute';
import type { Frontend } from '../azure-types.js';
import type { AgentRunContext, CacheResult, OnDemandAgent, OnDemandResult, PendingOnDemandRequest, ProviderCache } from '@stratus/plugin-api';
import { definedOnly, mapLimit, serverGroupAgentTypes, ServerGroupOnDemand } from '@stratus/provider-kit';
import { Keys, parseKey, Types } from '../keys.js';
import { named, resourceGroupOf } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

/** VM list calls of one run in flight at once. */
const VM_LIST_CONCURRENCY = 8;
import { buildServerGroupResults, frontendKey, networkOf, type ScaleSetWithVms, type ServerGroupCacheResults } from './server-group-data.js';

// The scale sets' VMs are cached here as instances; a one-group result also keeps the cached
// load balancer edges to its siblings.
const TYPES = serverGroupAgentTypes({ authoritative: [Types.instances], siblingEdges: [[Types.loadBalancers, [Types.serverGroups]]] });

/**
 * Caches the virtual machine scale sets of one region as server groups and their VMs as instances
 * (both authoritative), with load balancer membership and whether the group serves traffic;
 * contributes clusters and applications (informative: a cluster spans regions, so evicting them is
 * the cleanup agent's job). Also the on-demand agent for `ServerGroup`, with the two-phase protocol.
 */
export class AzureServerGroupCachingAgent extends AzureCachingAgent implements OnDemandAgent {
  readonly providedDataTypes = TYPES.providedDataTypes;
  readonly onDemandAgentType: string;
  private readonly onDemand: ServerGroupOnDemand;

  constructor(
    options: AzureAgentOptions,
    private readonly now: () => number = Date.now,
  ) {
    super(options, 'AzureServerGroupCachingAgent');
    this.onDemand = new ServerGroupOnDemand(this, { parseKey, siblingEdges: TYPES.siblingEdges, now });
    this.onDemandAgentType = this.onDemand.onDemandAgentType;
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.serverGroups]: this.onDemand.glob, [Types.instances]: `azure:instances:${this.account.name}:${this.region}:*` };
  }

  async loadData(providerCache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    let fetchStartMs = this.now();
    const abortSignal = context?.signal;
    const { scaleSets, results } = await this.consistentRead(async () => {
      fetchStartMs = this.now();
      const scaleSets = (await collect(this.azure.compute.virtualMachineScaleSets.listAll(definedOnly({ abortSignal })), abortSignal))
        .filter((s) => this.inRegion(s))
        .filter(named);
      return { scaleSets, results: await this.build(scaleSets, abortSignal) };
    });

    return this.onDemand.merge(providerCache, results, fetchStartMs, { scaleSets: scaleSets.length });
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
    return this.onDemand.handles(type, cloudProvider);
  }

  /** Describes one scale set live; found → record + result, gone → evictions (with its instances). `undefined` when not ours. */
  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = this.onDemand.nameOf(data);
    if (name === undefined) return undefined;
    const key = Keys.serverGroup(this.account.name, this.region, name);
    const found = await this.describeOne(name);
    const cachedInstances = (await providerCache.get(Types.serverGroups, key))?.relationships[Types.instances] ?? [];
    if (!found) return this.onDemand.gone(providerCache, [key], { [Types.instances]: cachedInstances });
    // Instances the group no longer has (terminated, scaled in) leave with this refresh.
    const present = new Set((found[Types.instances] ?? []).map((i) => i.id));
    return this.onDemand.stored(providerCache, { key, name, results: found }, { [Types.instances]: cachedInstances.filter((id) => !present.has(id)) });
  }

  /** The cache items for one scale set of this region, or undefined when it does not exist. */
  async describeOne(name: string): Promise<ServerGroupCacheResults | undefined> {
    // Names are unique per resource group only; the subscription-wide list finds the group wherever it lives.
    const scaleSet = (await collect(this.azure.compute.virtualMachineScaleSets.listAll())).filter(named).find((s) => s.name === name && this.inRegion(s));
    return scaleSet ? this.build([scaleSet]) : undefined;
  }

  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return this.onDemand.pending(providerCache);
  }
}
