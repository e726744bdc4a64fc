import { cacheData, monikerOf, parseServerGroupName, type CacheData } from '@stratus/plugin-api';
import type { SyntheticInstance, SyntheticLoadBalancer, SyntheticSecurityGroup, SyntheticServerGroup } from './synthetic-cloud.js';
import { SyntheticKeys } from './synthetic-keys.js';

/**
 * Turns fake-cloud resources into cache items, the one place the caching agents, the on-demand agent
 * and the operations' write-through share, so all three store identical data.
 */

export function serverGroupData(account: string, group: SyntheticServerGroup): CacheData {
  const name = parseServerGroupName(group.name);
  return cacheData(
    SyntheticKeys.serverGroup(account, group.region, group.name),
    {
      name: group.name,
      account,
      region: group.region,
      application: name.app,
      cluster: name.cluster,
      moniker: monikerOf(group.name),
      createdTime: group.createdTime,
      disabled: group.disabled,
      capacity: { ...group.capacity },
      instanceType: group.instanceType,
      imageId: group.imageId,
      zones: [...group.zones],
      loadBalancerNames: [...group.loadBalancers],
      securityGroupNames: [...group.securityGroups],
      tags: { ...group.tags },
      launchConfig: {
        launchConfigurationName: group.name,
        imageId: group.imageId,
        instanceType: group.instanceType,
        securityGroups: [...group.securityGroups],
      },
    },
    {
      instances: group.instanceIds.map((id) => SyntheticKeys.instance(account, group.region, id)),
      loadBalancers: group.loadBalancers.map((lb) => SyntheticKeys.loadBalancer(account, group.region, lb)),
      clusters: [SyntheticKeys.cluster(name.app, account, name.cluster)],
      applications: [SyntheticKeys.application(name.app)],
    },
  );
}

export function instanceData(account: string, instance: SyntheticInstance): CacheData {
  return cacheData(
    SyntheticKeys.instance(account, instance.region, instance.id),
    {
      instanceId: instance.id,
      name: instance.id,
      account,
      // Lets the cache's application index find the instance (one query for an application's instances).
      application: parseServerGroupName(instance.serverGroup).app,
      region: instance.region,
      zone: instance.zone,
      launchTime: instance.launchTime,
      healthState: instance.health,
      instanceType: instance.instanceType,
      privateIpAddress: instance.privateIpAddress,
      serverGroup: instance.serverGroup,
    },
    { serverGroups: [SyntheticKeys.serverGroup(account, instance.region, instance.serverGroup)] },
  );
}

export function loadBalancerData(account: string, loadBalancer: SyntheticLoadBalancer): CacheData {
  return cacheData(SyntheticKeys.loadBalancer(account, loadBalancer.region, loadBalancer.name), {
    name: loadBalancer.name,
    account,
    region: loadBalancer.region,
    application: parseServerGroupName(loadBalancer.name).app,
    moniker: monikerOf(loadBalancer.name),
    vpcId: loadBalancer.vpcId,
    dnsName: loadBalancer.dnsName,
    createdTime: loadBalancer.createdTime,
    listeners: loadBalancer.listeners.map((listener) => ({ ...listener })),
  });
}

export function securityGroupData(account: string, group: SyntheticSecurityGroup): CacheData {
  return cacheData(SyntheticKeys.securityGroup(account, group.region, group.name, group.id, group.vpcId), {
    id: group.id,
    name: group.name,
    account,
    region: group.region,
    vpcId: group.vpcId,
    description: group.description,
    application: parseServerGroupName(group.name).app,
    inboundRules: group.inboundRules.map((rule) => ({ ...rule })),
  });
}

/**
 * The informative items a set of server groups implies: clusters (with their server groups and load
 * balancers), applications (with their clusters) and edges from load balancers to server groups.
 * Built from server group *items*, so on-demand data laid over fresh data is reflected.
 */
export function informativeItems(serverGroups: readonly CacheData[]): {
  clusters: CacheData[];
  applications: CacheData[];
  loadBalancers: CacheData[];
} {
  const clusters = new Map<string, { attributes: Record<string, unknown>; serverGroups: Set<string>; loadBalancers: Set<string> }>();
  const applications = new Map<string, { name: string; clusters: Set<string> }>();
  const loadBalancers = new Map<string, Set<string>>();
  for (const item of serverGroups) {
    const { account, application, cluster } = item.attributes as { account: string; application: string; cluster: string };
    const clusterKey = SyntheticKeys.cluster(application, account, cluster);
    let entry = clusters.get(clusterKey);
    if (!entry) {
      const parsed = parseServerGroupName(cluster);
      entry = {
        attributes: {
          name: cluster,
          application,
          account,
          moniker: monikerOf(cluster),
          ...(parsed.stack ? { stack: parsed.stack } : {}),
          ...(parsed.detail ? { detail: parsed.detail } : {}),
        },
        serverGroups: new Set(),
        loadBalancers: new Set(),
      };
      clusters.set(clusterKey, entry);
    }
    entry.serverGroups.add(item.id);
    for (const lb of item.relationships.loadBalancers ?? []) {
      entry.loadBalancers.add(lb);
      let edges = loadBalancers.get(lb);
      if (!edges) loadBalancers.set(lb, (edges = new Set()));
      edges.add(item.id);
    }
    const appKey = SyntheticKeys.application(application);
    let app = applications.get(appKey);
    if (!app) applications.set(appKey, (app = { name: application, clusters: new Set() }));
    app.clusters.add(clusterKey);
  }
  return {
    clusters: [...clusters].map(([id, entry]) =>
      cacheData(id, entry.attributes, { serverGroups: [...entry.serverGroups], loadBalancers: [...entry.loadBalancers] }),
    ),
    applications: [...applications].map(([id, app]) => cacheData(id, { name: app.name }, { clusters: [...app.clusters] })),
    // Edges only: the load balancer agent owns the attributes; an empty map leaves them untouched.
    loadBalancers: [...loadBalancers].map(([id, edges]) => cacheData(id, {}, { serverGroups: [...edges] })),
  };
}
