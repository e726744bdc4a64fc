import type { BackendService, InstanceGroupManager } from '../compute-types.js';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { collect } from '../caching/gce-agent.js';
import { nextSequence, serverGroupName } from '@stratus/plugin-api';
import { gceCall, gceErrorStatus } from '../operations.js';
import { lastSegment } from '../plain.js';

/** The zones of a region: configured on the account, else asked of the API. */
export async function zonesOf(clients: GceAccountClients, account: GceAccount, region: string): Promise<string[]> {
  const configured = account.regions.find((r) => r.name === region)?.zones ?? [];
  if (configured.length > 0) return [...configured];
  const [found] = await gceCall(`Looking up the zones of ${region}`, () => clients.regions.get({ project: account.project, region }, clients.callOptions));
  return (found.zones ?? []).map((z) => lastSegment(z)).sort();
}

/** A MIG as the API returns an existing one: it always sets these (the SDK types every field optional). */
export type LiveIgm = InstanceGroupManager & { readonly name: string; readonly selfLink: string; readonly instanceGroup: string };

/** A live managed instance group and where it is. */
export interface LiveGroup {
  readonly igm: LiveIgm;
  readonly region: string;
  /** Set for zonal groups. */
  readonly zone?: string;
}

const orUndefinedOn404 = (error: unknown) => {
  if (gceErrorStatus(error) === 404) return undefined;
  throw error;
};

/** Finds a MIG by name in a region (regional first, then each zone, or just `zone` when given). */
export async function findGroup(clients: GceAccountClients, account: GceAccount, region: string, name: string, zone?: string): Promise<LiveGroup | undefined> {
  const project = account.project;
  if (!zone) {
    const regional = await clients.regionalGroups.get({ project, region, instanceGroupManager: name }, clients.callOptions).then(([g]) => g, orUndefinedOn404);
    if (regional) return { igm: regional as LiveIgm, region };
  }
  for (const z of zone ? [zone] : await zonesOf(clients, account, region)) {
    const zonal = await clients.zonalGroups.get({ project, zone: z, instanceGroupManager: name }, clients.callOptions).then(([g]) => g, orUndefinedOn404);
    if (zonal) return { igm: zonal as LiveIgm, region, zone: z };
  }
  return undefined;
}

export async function requireGroup(clients: GceAccountClients, account: GceAccount, region: string, name: string, zone?: string): Promise<LiveGroup> {
  const found = await gceCall(`Looking up server group ${name}`, () => findGroup(clients, account, region, name, zone));
  if (!found) throw new Error(`Server group ${name} not found in ${account.name}/${region}${zone ? ` (${zone})` : ''}`);
  return found;
}

/** The next `vNNN` of a cluster in a region: one more than the highest live sequence (v000 when none). */
export async function nextServerGroupName(clients: GceAccountClients, account: GceAccount, region: string, cluster: string): Promise<string> {
  const names: string[] = [];
  const pages = clients.zonalGroups.aggregatedListAsync({ project: account.project }, { ...clients.callOptions, autoPaginate: false });
  for await (const [scope, list] of pages) {
    const where = scope.slice(scope.indexOf('/') + 1);
    if (where !== region && !where.startsWith(`${region}-`)) continue;
    for (const igm of list.instanceGroupManagers ?? []) names.push(igm.name ?? '');
  }
  return serverGroupName(cluster, nextSequence(names, cluster));
}

/**
 * An image URL for a deploy: a URL or `projects/…` path as is; otherwise the image of that name in
 * the account's project, then its `imageProjects`.
 */
export async function resolveImage(clients: GceAccountClients, account: GceAccount, image: string): Promise<string> {
  if (image.startsWith('https://') || image.startsWith('http://') || image.startsWith('projects/')) return image;
  for (const project of [account.project, ...account.imageProjects]) {
    const found = await clients.images.get({ project, image }, clients.callOptions).then(([i]) => i, orUndefinedOn404);
    if (found?.selfLink) return found.selfLink;
  }
  throw new Error(`Image '${image}' not found in ${[account.project, ...account.imageProjects].join(', ')}`);
}

/** The target pool URLs behind network load balancers (regional forwarding rules) named in a deploy. */
export async function targetPoolsOf(clients: GceAccountClients, account: GceAccount, region: string, loadBalancers: readonly string[]): Promise<string[]> {
  const pools: string[] = [];
  for (const name of loadBalancers) {
    const rule = await clients.forwardingRules
      .get({ project: account.project, region, forwardingRule: name }, clients.callOptions)
      .then(([r]) => r, orUndefinedOn404);
    if (!rule) throw new Error(`Load balancer '${name}' not found in ${account.name}/${region}`);
    if (!rule.target || !rule.target.includes('/targetPools/')) throw new Error(`Load balancer '${name}' does not send to a target pool`);
    pools.push(rule.target);
  }
  return pools;
}

/** Every backend service of the project (to add or remove a group's backend). */
export function backendServices(clients: GceAccountClients, account: GceAccount): Promise<BackendService[]> {
  return collect(clients.backendServices.listAsync({ project: account.project }, { ...clients.callOptions, autoPaginate: false }));
}
