import type { PlainInstance } from '../compute-types.js';
import {
  authoritative,
  cacheData,
  parseServerGroupName,
  type AgentRunContext,
  type CacheData,
  type CacheResult,
  type ProviderCache,
} from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { epochMs, lastSegment, metadataMap, named, regionOfZone, toPlain } from '../plain.js';
import { mapLimit } from '@stratus/provider-kit';
import { defaultConsulAgentUrl } from '../ops/consul-agent.js';
import { parseConsulConfig } from '../ops/consul-config.js';
import { consulNodeOf, type ConsulNode } from './consul-health.js';
import { GceCachingAgent, type GceAgentOptions } from './gce-agent.js';

/** How many instances' Consul agents are asked at once. */
const CONSUL_CONCURRENCY = 16;

/** Platform health from the instance status, as Clouddriver's `GoogleInstanceHealth` (type `Google`). */
export function googleHealth(status: string | undefined): { type: string; healthClass: string; state: string; status?: string } {
  const state = status === 'RUNNING' ? 'Up' : status === 'PROVISIONING' || status === 'STAGING' ? 'Starting' : status === undefined ? 'Unknown' : 'Down';
  return { type: 'Google', healthClass: 'platform', state, ...(status ? { status } : {}) };
}

/** `{region, zone?, name}` of the MIG in a `created-by` link (`…/zones/z/instanceGroupManagers/n`). */
export function managerOf(createdBy: string | undefined): { region: string; zone?: string; name: string } | undefined {
  const match = createdBy ? /\/(zones|regions)\/([^/]+)\/instanceGroupManagers\/([^/]+)$/.exec(createdBy) : null;
  if (!match) return undefined;
  const [, kind, where, name] = match as unknown as [string, string, string, string];
  return kind === 'zones' ? { region: regionOfZone(where), zone: where, name } : { region: where, name };
}

/**
 * Caches every instance of the account through one aggregated list (paged with `pageToken`),
 * keeping those in the account's regions; each links to the server group that created it.
 */
export class GceInstanceCachingAgent extends GceCachingAgent {
  readonly providedDataTypes = [authoritative(Types.instances)];

  constructor(options: GceAgentOptions) {
    super(options, 'GoogleInstanceCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.instances]: `gce:instances:${this.account.name}:*` };
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const regions = new Set(this.account.regions.map((r) => r.name));
    const items: CacheData[] = [];
    const found: { instance: PlainInstance & { name: string }; region: string; zone: string }[] = [];
    let scopes = 0;
    for await (const [scope, list] of this.gce.instances.aggregatedListAsync({ project: this.account.project }, this.listOptions)) {
      context?.signal.throwIfAborted();
      scopes++;
      if (!scope.startsWith('zones/')) continue;
      const zone = scope.slice('zones/'.length);
      const region = regionOfZone(zone);
      if (!regions.has(region)) continue;
      for (const instance of list.instances ?? []) if (named(instance)) found.push({ instance: toPlain(instance), region, zone });
    }
    // Clouddriver's GoogleInstance carries the Consul node of every instance of an account with consul enabled.
    const consul = parseConsulConfig((this.account as { consul?: unknown }).consul);
    const agentUrl = this.options.consulAgentUrl ?? defaultConsulAgentUrl;
    const nodes = consul?.enabled
      ? await mapLimit(found, CONSUL_CONCURRENCY, (f) => consulNodeOf(agentUrl(f.instance.name, consul.agentPort), context?.signal))
      : [];
    for (const [i, f] of found.entries()) items.push(this.toCacheData(f.instance, f.region, f.zone, nodes[i]));
    return { cacheResults: { [Types.instances]: items }, introspectionDetails: { instances: items.length, scopes } };
  }

  private toCacheData(instance: PlainInstance & { name: string }, region: string, zone: string, consulNode?: ConsulNode): CacheData {
    const account = this.account.name;
    const manager = managerOf(metadataMap(instance.metadata)['created-by']);
    const nic = (instance.networkInterfaces ?? [])[0] ?? {};
    const relationships: Record<string, string[]> = {};
    if (manager) relationships[Types.serverGroups] = [Keys.serverGroup(account, manager.region, manager.name, manager.zone)];
    return cacheData(
      Keys.instance(account, region, instance.name),
      {
        instance,
        name: instance.name,
        instanceId: instance.id,
        account,
        region,
        zone,
        status: instance.status,
        instanceType: lastSegment(instance.machineType),
        launchTime: epochMs(instance.creationTimestamp),
        privateIpAddress: nic.networkIP,
        publicIpAddress: nic.accessConfigs?.[0]?.natIP,
        networkName: lastSegment(nic.network),
        tags: instance.tags?.items ?? [],
        labels: instance.labels ?? {},
        // The application (from the group's name) tells the cache which application's views a
        // change of this instance touches; without it every application's would be thrown away.
        ...(manager ? { serverGroup: manager.name, application: parseServerGroupName(manager.name).app } : {}),
        health: [googleHealth(instance.status), ...(consulNode?.healths ?? [])],
        ...(consulNode ? { consulNode } : {}),
      },
      relationships,
    );
  }
}
