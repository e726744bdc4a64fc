import type { Cache, CacheData, HealthState, InstanceView, LoadBalancerView, Moniker, ServerGroupView } from '@stratus/plugin-api';
import { parseInfrastructureKey } from '../kubernetes-keys.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { Manifest } from '../kubernetes-client.js';
import { manifestStatus } from './manifest-status.js';

export const SERVER_GROUP_TYPES = BUILT_IN_KINDS.filter((k) => k.spinnakerKind === 'serverGroups').map((k) => k.cacheType);
export const LOAD_BALANCER_TYPES = BUILT_IN_KINDS.filter((k) => k.spinnakerKind === 'loadBalancers').map((k) => k.cacheType);
export const SERVER_GROUP_MANAGER_TYPES = BUILT_IN_KINDS.filter((k) => k.spinnakerKind === 'serverGroupManagers').map((k) => k.cacheType);

/** Clouddriver names Kubernetes server groups, load balancers and instances `<kind> <name>`. */
export const displayName = (cacheType: string, name: string) => `${cacheType} ${name}`;

/** Splits `replicaSet web-abc` (or a bare `web-abc` with a default kind) into kind and name. */
export function splitDisplayName(value: string, defaultType: string): { type: string; name: string } {
  const space = value.indexOf(' ');
  return space > 0 ? { type: value.slice(0, space), name: value.slice(space + 1) } : { type: defaultType, name: value };
}

const manifestOf = (item: CacheData) => item.attributes.manifest as Manifest;
const createdTime = (manifest: Manifest) => {
  const t = Date.parse(manifest.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
};

function podHealthState(pod: Manifest): HealthState {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return 'Succeeded';
  if (phase === 'Failed') return 'Failed';
  if (phase === 'Pending') return 'Starting';
  if (phase === 'Running') {
    const ready = (pod.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
    return ready?.status === 'False' ? 'Down' : 'Up';
  }
  return 'Unknown';
}

export function instanceView(item: CacheData): InstanceView {
  const pod = manifestOf(item);
  const healthState = podHealthState(pod);
  return {
    name: displayName('pod', String(item.attributes.name)),
    humanReadableName: String(item.attributes.name),
    healthState,
    launchTime: createdTime(pod),
    zone: String(item.attributes.namespace),
    health: [
      { type: 'kubernetes/pod', state: healthState, phase: pod.status?.phase },
      ...(pod.status?.containerStatuses ?? []).map((c: { name: string; ready: boolean }) => ({
        type: 'kubernetes/container',
        name: c.name,
        state: c.ready ? 'Up' : 'Down',
      })),
    ],
    cloudProvider: 'kubernetes',
    providerType: 'kubernetes',
    account: String(item.attributes.account),
    region: String(item.attributes.namespace),
    namespace: String(item.attributes.namespace),
    kind: 'pod',
    moniker: item.attributes.moniker,
    labels: pod.metadata?.labels ?? {},
    manifest: pod,
  };
}

/** Replicas a workload wants (DaemonSets: what the controller scheduled). */
function desiredOf(manifest: Manifest): number {
  if (manifest.kind === 'DaemonSet') return manifest.status?.desiredNumberScheduled ?? 0;
  return manifest.spec?.replicas ?? 1;
}

/** The load balancers a workload declares in `traffic.spinnaker.io/load-balancers` (`["service web"]`). */
export function declaredLoadBalancers(manifest: Manifest): string[] {
  const raw = manifest.metadata?.annotations?.['traffic.spinnaker.io/load-balancers'];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * A server group (ReplicaSet, StatefulSet, DaemonSet) with its pods and the Services routing to it.
 * It is `disabled` when it declares load balancers (`traffic.spinnaker.io/load-balancers`) and none
 * of them selects its pods any more (traffic was cut by `disableManifest`).
 */
export async function serverGroupView(cache: Cache, item: CacheData): Promise<ServerGroupView> {
  const manifest = manifestOf(item);
  const cacheType = parseInfrastructureKey(item.id)!.kind;
  const pods = await cache.getAllByIds('pod', item.relationships.pod ?? []);
  const instances = pods.map(instanceView);
  const loadBalancerKeys = LOAD_BALANCER_TYPES.flatMap((t) => item.relationships[t] ?? []);
  const loadBalancers = loadBalancerKeys.map((key) => {
    const parsed = parseInfrastructureKey(key)!;
    return displayName(parsed.kind, parsed.name);
  });
  const managers = SERVER_GROUP_MANAGER_TYPES.flatMap((t) => item.relationships[t] ?? []).map((key) => {
    const parsed = parseInfrastructureKey(key)!;
    return { account: parsed.account, location: parsed.namespace, name: parsed.name, kind: parsed.kind };
  });
  const desired = desiredOf(manifest);
  const declared = declaredLoadBalancers(manifest);
  const count = (state: HealthState) => instances.filter((i) => i.healthState === state).length;
  return {
    name: displayName(cacheType, String(item.attributes.name)),
    displayName: String(item.attributes.name),
    moniker: (item.attributes.moniker as Moniker) ?? { app: '' },
    type: 'kubernetes',
    cloudProvider: 'kubernetes',
    account: String(item.attributes.account),
    region: String(item.attributes.namespace),
    namespace: String(item.attributes.namespace),
    kind: cacheType,
    disabled: declared.length > 0 && !declared.some((lb) => loadBalancers.includes(lb)),
    createdTime: createdTime(manifest),
    zones: [],
    instances,
    loadBalancers,
    securityGroups: [],
    capacity: { min: desired, max: desired, desired },
    instanceCounts: {
      total: instances.length,
      up: count('Up'),
      down: count('Down') + count('Failed'),
      unknown: count('Unknown'),
      outOfService: count('OutOfService'),
      starting: count('Starting'),
    },
    serverGroupManagers: managers,
    labels: manifest.metadata?.labels ?? {},
    manifest,
    status: manifestStatus(manifest),
  };
}

export function loadBalancerView(item: CacheData, serverGroups: readonly ServerGroupView[]): LoadBalancerView {
  const cacheType = parseInfrastructureKey(item.id)!.kind;
  const manifest = manifestOf(item);
  return {
    name: displayName(cacheType, String(item.attributes.name)),
    displayName: String(item.attributes.name),
    type: 'kubernetes',
    cloudProvider: 'kubernetes',
    account: String(item.attributes.account),
    region: String(item.attributes.namespace),
    namespace: String(item.attributes.namespace),
    kind: cacheType,
    moniker: item.attributes.moniker as Moniker | undefined,
    labels: manifest.metadata?.labels ?? {},
    manifest,
    serverGroups: serverGroups.map((sg) => ({
      name: sg.name,
      account: sg.account,
      region: sg.region,
      isDisabled: sg.disabled,
      instances: sg.instances.map((i) => ({ id: i.name, name: i.name, health: { state: i.healthState } })),
      detachedInstances: [],
      cloudProvider: 'kubernetes',
    })),
  };
}
