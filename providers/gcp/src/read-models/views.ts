import type { Cache, CacheData, HealthState, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { countInstances, instanceViewFields, loadRelated, relatedItems, serverGroupViewFields } from '@stratus/provider-kit';
import { GCE, GLOBAL, Types } from '../keys.js';

/**
 * An instance's state from its health entries, in Clouddriver's `GoogleInstance` order: Up when some
 * entry is Up and the others are Up or Unknown, else Starting if any, Down if any, OutOfService if
 * any, else Unknown (the kit's default order differs, so GCE keeps its own). `instanceCounts`
 * counts instances by this state.
 */
export function healthStateOf(health: readonly Record<string, unknown>[]): HealthState {
  const states = health.map((h) => h.state as string);
  if (states.includes('Up') && states.every((s) => s === 'Up' || s === 'Unknown')) return 'Up';
  if (states.includes('Starting')) return 'Starting';
  if (states.includes('Down')) return 'Down';
  if (states.includes('OutOfService')) return 'OutOfService';
  return 'Unknown';
}

/**
 * Clouddriver's `GoogleInstance` JSON from a cached instance. `loadBalancers` (cached network load
 * balancers of its region) add a `LoadBalancer` health entry: InService when its target pool lists it.
 */
export function instanceView(item: CacheData, loadBalancers: readonly CacheData[] = []): InstanceView {
  const a = item.attributes;
  const health: Record<string, unknown>[] = [...((a.health as Record<string, unknown>[]) ?? [])];
  const name = a.name as string;
  const lbHealth = loadBalancers
    .filter((lb) => lb.attributes.targetPoolName !== undefined)
    .map((lb) => {
      const inPool = ((lb.attributes.instanceNames as string[]) ?? []).includes(name);
      return {
        loadBalancerName: lb.attributes.name,
        instanceId: name,
        state: inPool ? 'InService' : 'OutOfService',
        description: inPool ? 'Healthy' : 'Not in the target pool of this load balancer (the server group is disabled).',
      };
    });
  if (lbHealth.length > 0) {
    health.push({ type: 'LoadBalancer', loadBalancers: lbHealth, state: lbHealth.some((h) => h.state === 'InService') ? 'Up' : 'OutOfService' });
  }
  // `application` is cache bookkeeping (the instance's application index); Clouddriver's instance JSON has none.
  const { health: _h, instance, application: _a, ...rest } = a;
  return {
    ...rest,
    ...instanceViewFields({ cloudProvider: GCE, id: name, attributes: a, health, healthState: healthStateOf(health), zone: a.zone as string | undefined }),
    gceId: a.instanceId,
    instanceType: a.instanceType,
    ...(instance
      ? { selfLink: (instance as Record<string, unknown>).selfLink, networkInterfaces: (instance as Record<string, unknown>).networkInterfaces }
      : {}),
  };
}

/** Whether a firewall applies to instances with `tags` on `network` (no target tags = every instance). */
export function firewallApplies(firewall: CacheData, network: string, tags: readonly string[]): boolean {
  const f = firewall.attributes.firewall as { targetTags?: string[]; direction?: string } | undefined;
  if (firewall.attributes.network !== network || (f?.direction ?? 'INGRESS') !== 'INGRESS') return false;
  const targetTags = f?.targetTags ?? [];
  return targetTags.length === 0 || targetTags.some((t) => tags.includes(t));
}

/** Builds full `GoogleServerGroup` JSON for cached server groups, loading related items in bulk. */
export async function serverGroupViews(cache: Cache, items: readonly CacheData[]): Promise<ServerGroupView[]> {
  const [instanceById, lbById] = await Promise.all([loadRelated(cache, items, Types.instances), loadRelated(cache, items, Types.loadBalancers)]);
  const accounts = [...new Set(items.map((i) => i.attributes.account as string))];
  const firewalls = (
    await Promise.all(
      accounts.map(async (account) =>
        cache.getAllByIds(Types.securityGroups, await cache.filterIdentifiers(Types.securityGroups, `gce:securityGroups:*:*:${GLOBAL}:${account}`), {
          relationshipPrefixes: [],
        }),
      ),
    )
  ).flat();

  return items.map((item) => {
    const a = item.attributes;
    const lbs = relatedItems(item, Types.loadBalancers, lbById);
    const views = relatedItems(item, Types.instances, instanceById).map((i) => instanceView(i, lbs));
    const tags = (a.tags as string[]) ?? [];
    const capacity = a.capacity as ServerGroupView['capacity'];
    const securityGroups = firewalls
      .filter((f) => f.attributes.account === a.account && firewallApplies(f, a.network as string, tags))
      .map((f) => f.attributes.name as string);
    return {
      ...serverGroupViewFields(GCE, item),
      ...(a.zone ? { zone: a.zone } : {}),
      regional: a.regional as boolean,
      instances: views,
      instanceCounts: countInstances(views),
      capacity,
      // Clouddriver's google `asg` map: capacity plus the load balancer names Deck copies on clone.
      asg: {
        minSize: capacity.min,
        maxSize: capacity.max,
        desiredCapacity: capacity.desired,
        'load-balancer-names': (a.loadBalancerNames as string[]) ?? [],
        'backend-service-names': (a.backendServiceNames as string[]) ?? [],
      },
      targetSize: a.targetSize,
      ...(a.autoscalingPolicy ? { autoscalingPolicy: a.autoscalingPolicy } : {}),
      ...(a.statefulPolicy ? { statefulPolicy: a.statefulPolicy } : {}),
      ...(a.autoHealingPolicy ? { autoHealingPolicy: a.autoHealingPolicy } : {}),
      loadBalancers: [...((a.loadBalancerNames as string[]) ?? []), ...((a.backendServiceNames as string[]) ?? [])],
      targetPools: a.targetPools,
      backendServices: a.servingBackendServices,
      securityGroups: [...new Set(securityGroups)].sort(),
      launchConfig: a.launchConfig as Record<string, unknown>,
      instanceTemplateName: a.instanceTemplateName,
      instanceTemplateTags: tags,
      instanceTemplateLabels: a.labels,
      instanceType: a.instanceType as string | undefined,
      ...(a.imageId ? { image: { imageId: a.imageId }, buildInfo: {} } : {}),
      network: a.network,
      networkName: a.network,
      ...(a.subnet ? { subnet: a.subnet } : {}),
      selfLink: a.selfLink,
      instanceGroup: a.instanceGroup,
      currentActions: a.currentActions,
      isStable: a.isStable,
      labels: (a.labels as Record<string, unknown>) ?? {},
      tags: {},
      serverGroupManagers: [],
    } as ServerGroupView;
  });
}
