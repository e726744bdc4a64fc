import type {
  CacheData,
  Capacity,
  ClusterView,
  HealthState,
  InstanceCounts,
  InstanceView,
  LoadBalancerView,
  Moniker,
  SecurityGroupView,
  ServerGroupView,
} from '@stratus/plugin-api';
import { monikerOf } from '@stratus/plugin-api';
import type { SyntheticRule } from '../synthetic-cloud.js';
import { SYNTHETIC, parseSyntheticKey } from '../synthetic-keys.js';

/**
 * Cache items → Clouddriver's JSON shapes (docs/architecture.md, "Read views and account summaries"). Everything here reads cached attributes
 * only; the fake cloud is never consulted.
 */

const attr = <T>(item: CacheData, name: string): T => item.attributes[name] as T;

export function instanceView(item: CacheData): InstanceView {
  const healthState = attr<HealthState>(item, 'healthState') ?? 'Unknown';
  return {
    name: attr<string>(item, 'instanceId'),
    instanceId: attr<string>(item, 'instanceId'),
    humanReadableName: attr<string>(item, 'instanceId'),
    healthState,
    launchTime: attr<number>(item, 'launchTime'),
    zone: attr<string>(item, 'zone'),
    availabilityZone: attr<string>(item, 'zone'),
    health: [{ type: 'Synthetic', healthClass: 'platform', state: healthState }],
    cloudProvider: SYNTHETIC,
    providerType: SYNTHETIC,
    account: attr<string>(item, 'account'),
    region: attr<string>(item, 'region'),
    instanceType: attr<string>(item, 'instanceType'),
    privateIpAddress: attr<string>(item, 'privateIpAddress'),
    serverGroup: attr<string>(item, 'serverGroup'),
    labels: {},
  };
}

export function instanceCounts(instances: readonly InstanceView[]): InstanceCounts {
  const count = (state: HealthState) => instances.filter((i) => i.healthState === state).length;
  return {
    total: instances.length,
    up: count('Up'),
    down: count('Down'),
    unknown: count('Unknown'),
    outOfService: count('OutOfService'),
    starting: count('Starting'),
  };
}

/** A server group; `instances` are the cached instance items (none when details were not asked for). */
export function serverGroupView(item: CacheData, instances: readonly CacheData[]): ServerGroupView {
  const instanceViews = instances.map(instanceView);
  const name = attr<string>(item, 'name');
  const account = attr<string>(item, 'account');
  return {
    name,
    moniker: attr<Moniker>(item, 'moniker') ?? monikerOf(name),
    type: SYNTHETIC,
    cloudProvider: SYNTHETIC,
    account,
    accountName: account,
    region: attr<string>(item, 'region'),
    cluster: attr<string>(item, 'cluster'),
    application: attr<string>(item, 'application'),
    disabled: attr<boolean>(item, 'disabled') ?? false,
    createdTime: attr<number>(item, 'createdTime'),
    zones: attr<string[]>(item, 'zones') ?? [],
    instances: instanceViews,
    loadBalancers: attr<string[]>(item, 'loadBalancerNames') ?? [],
    securityGroups: attr<string[]>(item, 'securityGroupNames') ?? [],
    launchConfig: attr<Record<string, unknown>>(item, 'launchConfig'),
    instanceType: attr<string>(item, 'instanceType'),
    imageId: attr<string>(item, 'imageId'),
    tags: attr<Record<string, unknown>>(item, 'tags') ?? {},
    labels: {},
    capacity: attr<Capacity>(item, 'capacity'),
    instanceCounts: instanceCounts(instanceViews),
    serverGroupManagers: [],
  };
}

/** Server groups oldest first (then by name), as Clouddriver lists a cluster's. */
const byCreation = (a: ServerGroupView, b: ServerGroupView): number => (a.createdTime ?? 0) - (b.createdTime ?? 0) || a.name.localeCompare(b.name);

/** Load balancers by name, then account, then region. */
export const byLoadBalancerIdentity = (a: LoadBalancerView, b: LoadBalancerView): number =>
  a.name.localeCompare(b.name) || a.account.localeCompare(b.account) || (a.region ?? '').localeCompare(b.region ?? '');

/** Clusters by account, then name. */
export const byAccountAndName = (a: ClusterView, b: ClusterView): number => a.accountName.localeCompare(b.accountName) || a.name.localeCompare(b.name);

/**
 * A cluster: its server groups (oldest first) and its load balancers as Clouddriver's cluster views
 * carry them — only who each one is (name, account and region from its key), never the server groups
 * behind it (docs/read-api.md, "Cluster views"); `/loadBalancers` reads serve the full view.
 * `loadBalancerIds` are the cluster's load balancer keys that exist in the cache.
 */
export function clusterViewOf(item: CacheData, serverGroups: readonly ServerGroupView[], loadBalancerIds: readonly string[]): ClusterView {
  const name = attr<string>(item, 'name');
  const loadBalancers = loadBalancerIds
    .flatMap((id) => {
      const key = parseSyntheticKey(id);
      return key?.loadBalancer ? [clusterLoadBalancerView(key.account!, key.region!, key.loadBalancer)] : [];
    })
    .sort(byLoadBalancerIdentity);
  return {
    name,
    type: SYNTHETIC,
    accountName: attr<string>(item, 'account'),
    application: attr<string>(item, 'application'),
    moniker: monikerOf(name),
    serverGroups: [...serverGroups].sort(byCreation),
    loadBalancers,
  };
}

function clusterLoadBalancerView(account: string, region: string, name: string): LoadBalancerView {
  return { name, type: SYNTHETIC, cloudProvider: SYNTHETIC, account, region, moniker: monikerOf(name), serverGroups: [] };
}

/** A load balancer with the server groups behind it (Clouddriver's `LoadBalancerServerGroup`). */
export function loadBalancerView(item: CacheData, serverGroups: readonly ServerGroupView[]): LoadBalancerView {
  const name = attr<string>(item, 'name');
  return {
    name,
    type: SYNTHETIC,
    cloudProvider: SYNTHETIC,
    account: attr<string>(item, 'account'),
    region: attr<string>(item, 'region'),
    moniker: attr<Moniker>(item, 'moniker') ?? monikerOf(name),
    vpcId: attr<string>(item, 'vpcId'),
    dnsName: attr<string>(item, 'dnsName'),
    createdTime: attr<number>(item, 'createdTime'),
    listeners: attr<unknown[]>(item, 'listeners') ?? [],
    labels: {},
    serverGroups: serverGroups.map((group) => ({
      name: group.name,
      account: group.account,
      region: group.region,
      isDisabled: group.disabled,
      cloudProvider: SYNTHETIC,
      instances: group.instances.map((instance) => ({
        id: instance.name,
        name: instance.name,
        zone: instance.zone,
        health: { state: instance.healthState === 'Up' ? 'InService' : 'OutOfService' },
      })),
      detachedInstances: [],
    })),
  };
}

function ruleView(rule: SyntheticRule, item: CacheData): Record<string, unknown> {
  const portRanges = [{ startPort: rule.fromPort, endPort: rule.toPort }];
  if (rule.securityGroupId) {
    return {
      class: 'SecurityGroupRule',
      protocol: rule.protocol,
      portRanges,
      securityGroup: {
        id: rule.securityGroupId,
        accountName: attr<string>(item, 'account'),
        region: attr<string>(item, 'region'),
        vpcId: attr<string>(item, 'vpcId'),
        type: SYNTHETIC,
      },
    };
  }
  const [ip, cidr] = (rule.cidr ?? '0.0.0.0/0').split('/');
  return { class: 'IpRangeRule', protocol: rule.protocol, portRanges, range: { ip, cidr: `/${cidr}` } };
}

export function securityGroupView(item: CacheData, includeRules: boolean): SecurityGroupView {
  const name = attr<string>(item, 'name');
  const id = attr<string>(item, 'id');
  const vpcId = attr<string>(item, 'vpcId');
  return {
    class: 'SyntheticSecurityGroup',
    type: SYNTHETIC,
    cloudProvider: SYNTHETIC,
    id,
    name,
    accountName: attr<string>(item, 'account'),
    region: attr<string>(item, 'region'),
    application: attr<string>(item, 'application'),
    moniker: monikerOf(name),
    vpcId,
    description: attr<string>(item, 'description'),
    summary: { id, name, vpcId },
    labels: {},
    ...(includeRules ? { inboundRules: (attr<SyntheticRule[]>(item, 'inboundRules') ?? []).map((rule) => ruleView(rule, item)), outboundRules: [] } : {}),
  };
}
