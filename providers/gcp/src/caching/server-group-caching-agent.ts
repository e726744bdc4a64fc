import type { InstanceGroupManager, InstanceTemplate } from '../compute-types.js';
import type { AgentRunContext, CacheResult, OnDemandAgent, OnDemandResult, PendingOnDemandRequest, ProviderCache } from '@stratus/plugin-api';
import { serverGroupAgentTypes, ServerGroupOnDemand } from '@stratus/provider-kit';
import { parseKey, Types } from '../keys.js';
import { gceErrorStatus } from '../operations.js';
import { lastSegment } from '../plain.js';
import { collect, GceCachingAgent, type GceAgentOptions } from './gce-agent.js';
import { buildServerGroupResults, serverGroupKeyOf, type ServerGroupCacheResults } from './server-group-data.js';

// Only the standard types: templates and autoscalers are read into the server group itself.
const TYPES = serverGroupAgentTypes();

/**
 * Caches the managed instance groups of one region, zonal and regional, as server groups
 * (authoritative), with their instance templates, autoscalers, member instances (by the `created-by` metadata
 * GCE sets) and load balancer membership; contributes clusters and applications (informative: a
 * cluster spans regions, so evicting them is the cleanup agent's job). Also the on-demand agent for
 * `ServerGroup`, with the two-phase protocol.
 */
export class GceServerGroupCachingAgent extends GceCachingAgent implements OnDemandAgent {
  readonly providedDataTypes = TYPES.providedDataTypes;
  readonly onDemandAgentType: string;
  private readonly onDemand: ServerGroupOnDemand;

  constructor(
    options: GceAgentOptions,
    private readonly now: () => number = Date.now,
  ) {
    super(options, 'GoogleServerGroupCachingAgent');
    this.onDemand = new ServerGroupOnDemand(this, { parseKey, siblingEdges: TYPES.siblingEdges, now });
    this.onDemandAgentType = this.onDemand.onDemandAgentType;
  }

  /** Every server group key of this account and region (zonal keys have one more segment). */
  cacheKeyPatterns(): Record<string, string> {
    return { [Types.serverGroups]: this.onDemand.glob };
  }

  async loadData(providerCache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const signal = context?.signal;
    const fetchStartMs = this.now();
    const project = this.account.project;
    const zones = await this.zones();
    const zonal = (await Promise.all(zones.map((zone) => collect(this.gce.zonalGroups.listAsync({ project, zone }, this.listOptions), signal)))).flat();
    const regional = await collect(this.gce.regionalGroups.listAsync({ project, region: this.region }, this.listOptions), signal);
    const results = await this.build([...zonal, ...regional], zones, signal);

    return this.onDemand.merge(providerCache, results, fetchStartMs, { zonal: zonal.length, regional: regional.length });
  }

  /** Templates, instances of the region's zones and backend services, then the cache items. */
  private async build(igms: readonly InstanceGroupManager[], zones: readonly string[], signal?: AbortSignal): Promise<ServerGroupCacheResults> {
    const project = this.account.project;
    const wantedTemplates = new Set(igms.map((g) => lastSegment(g.instanceTemplate)));
    const templates = new Map<string, InstanceTemplate>();
    if (wantedTemplates.size > 0) {
      for (const t of await collect(this.gce.instanceTemplates.listAsync({ project }, this.listOptions), signal))
        if (t.name && wantedTemplates.has(t.name)) templates.set(t.name, t);
    }
    const instances =
      igms.length === 0
        ? []
        : (await Promise.all(zones.map((zone) => collect(this.gce.instances.listAsync({ project, zone }, this.listOptions), signal)))).flat();
    const backendServices = igms.length === 0 ? [] : await collect(this.gce.backendServices.listAsync({ project }, this.listOptions), signal);
    const autoscalers =
      igms.length === 0
        ? []
        : [
            ...(await Promise.all(zones.map((zone) => collect(this.gce.autoscalers.listAsync({ project, zone }, this.listOptions), signal)))).flat(),
            ...(await collect(this.gce.regionAutoscalers.listAsync({ project, region: this.region }, this.listOptions), signal)),
          ];
    return buildServerGroupResults(igms, { account: this.account.name, region: this.region, templates, instances, backendServices, autoscalers });
  }

  // ---- on-demand ----

  handles(type: string, cloudProvider: string): boolean {
    return this.onDemand.handles(type, cloudProvider);
  }

  /** Describes one MIG live; found → record + result, gone → evictions. `undefined` when not ours. */
  async handle(providerCache: ProviderCache, data: Record<string, unknown>): Promise<OnDemandResult | undefined> {
    const name = this.onDemand.nameOf(data);
    if (name === undefined) return undefined;
    const found = await this.describeOne(name);
    const cachedKeys = await providerCache.filterIdentifiers(Types.serverGroups, `gce:serverGroups:*:${this.account.name}:${this.region}:${name}*`);
    const cached = cachedKeys.filter((k) => parseKey(k)?.serverGroup === name);
    if (!found) return this.onDemand.gone(providerCache, cached);
    // A group recreated under the other scope (zonal ↔ regional) leaves a stale key behind.
    return this.onDemand.stored(providerCache, { ...found, name }, { [Types.serverGroups]: cached.filter((k) => k !== found.key) });
  }

  /** The cache items for one MIG (looked up in the region, then each zone), or undefined when it does not exist. */
  async describeOne(name: string): Promise<{ key: string; results: ServerGroupCacheResults } | undefined> {
    const project = this.account.project;
    const zones = await this.zones();
    const notFound = (error: unknown) => {
      if (gceErrorStatus(error) === 404) return undefined;
      throw error;
    };
    let igm: InstanceGroupManager | undefined = await this.gce.regionalGroups
      .get({ project, region: this.region, instanceGroupManager: name }, this.gce.callOptions)
      .then(([g]) => g, notFound);
    for (const zone of zones) {
      if (igm) break;
      igm = await this.gce.zonalGroups.get({ project, zone, instanceGroupManager: name }, this.gce.callOptions).then(([g]) => g, notFound);
    }
    if (!igm) return undefined;
    return { key: serverGroupKeyOf(this.account.name, this.region, igm), results: await this.build([igm], zones) };
  }

  pendingOnDemandRequests(providerCache: ProviderCache): Promise<PendingOnDemandRequest[]> {
    return this.onDemand.pending(providerCache);
  }
}
