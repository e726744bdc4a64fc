import { monikerOf, parseServerGroupName, type CacheData } from '@stratus/plugin-api';
import { ServerGroupIndex } from '@stratus/provider-kit';
import type { Autoscaler, BackendService, Instance, InstanceGroupManager, InstanceTemplate, NetworkInterface } from '../compute-types.js';
import { Keys, Types } from '../keys.js';
import { csv, epochMs, lastSegment, metadataMap, named, regionOfZone, scopeOf, toPlain } from '../plain.js';

/** Metadata keys on an instance template naming the load balancers a server group belongs behind (as Clouddriver writes them). */
export const LOAD_BALANCER_NAMES = 'load-balancer-names';
export const BACKEND_SERVICE_NAMES = 'backend-service-names';

export type ServerGroupCacheResults = Record<string, CacheData[]>;

/** What the builder needs besides the groups: templates by name, instances, backend services. */
export interface ServerGroupContext {
  readonly account: string;
  readonly region: string;
  readonly templates: ReadonlyMap<string, InstanceTemplate>;
  /** Instances of the region's zones (as the SDK returns them). */
  readonly instances: readonly Instance[];
  /** Backend services (as the SDK returns them), to tell which groups serve traffic through them. */
  readonly backendServices: readonly BackendService[];
  /** Zonal and regional autoscalers; each names its group in `target`. */
  readonly autoscalers?: readonly Autoscaler[];
}

/** `zones/z/instanceGroupManagers/n` (or `regions/…`) at the end of a group link or `created-by` path. */
export function groupPath(link: string | null | undefined): string | undefined {
  const match = link ? /(?:^|\/)((?:zones|regions)\/[^/]+\/instanceGroupManagers\/[^/]+)$/.exec(link) : null;
  return match?.[1];
}

/** The key of a server group item for a MIG: zonal groups carry their zone. */
export function serverGroupKeyOf(account: string, region: string, igm: { name?: string | null; zone?: string | null }): string {
  return Keys.serverGroup(account, region, igm.name!, igm.zone ? lastSegment(igm.zone) : undefined);
}

/**
 * Builds the cache items for managed instance groups (shared by the scheduled run and on-demand
 * refresh): `serverGroups` with what the read models need, `clusters` and `applications` with their
 * edges, and relationship-only `instances` and `loadBalancers` items.
 */
// eslint-disable-next-line max-lines-per-function -- builds every item of a MIG in one pass (server group, cluster, application and their edges); to split after the dedupe merge (another helper is rewriting providers' caching/ now)
export function buildServerGroupResults(igms: readonly InstanceGroupManager[], ctx: ServerGroupContext): ServerGroupCacheResults {
  const { account, region } = ctx;
  // `created-by` is a relative path with the project number, the group's self link a URL with the
  // project id: match on what both end with, `<zones|regions>/<where>/instanceGroupManagers/<name>`.
  const membersByGroup = new Map<string, (Instance & { name: string })[]>();
  for (const instance of ctx.instances.filter(named)) {
    const group = groupPath(metadataMap(instance.metadata)['created-by']);
    if (group) (membersByGroup.get(group) ?? membersByGroup.set(group, []).get(group)!).push(instance);
  }
  const autoscalerByTarget = new Map((ctx.autoscalers ?? []).map((a) => [groupPath(a.target) ?? '', toPlain(a)]));
  const backendGroups = new Map<string, string[]>();
  // Backends name instance groups by URL or by `projects/…` path: key on the path from `projects/`.
  const fromProjects = (link: string) => link.slice(Math.max(0, link.indexOf('projects/')));
  for (const bs of ctx.backendServices.filter(named)) {
    for (const b of bs.backends ?? []) if (b.group) backendGroups.set(fromProjects(b.group), [...(backendGroups.get(fromProjects(b.group)) ?? []), bs.name]);
  }

  const serverGroups: CacheData[] = [];
  const index = new ServerGroupIndex([Types.loadBalancers], [Types.instances, Types.loadBalancers]);

  for (const raw of igms) {
    const igm = toPlain(raw);
    const name = igm.name;
    if (!name) continue;
    const names = parseServerGroupName(name);
    const scope = scopeOf(igm);
    const zonal = scope.zone !== undefined;
    const sgKey = serverGroupKeyOf(account, region, igm);
    const clusterKey = Keys.cluster(account, names.app, names.cluster);
    const appKey = Keys.application(names.app);
    const templateName = lastSegment(igm.instanceTemplate);
    const template = ctx.templates.get(templateName);
    const props = template?.properties ?? {};
    const metadata = metadataMap(props.metadata);
    const members = membersByGroup.get(groupPath(igm.selfLink) ?? '') ?? [];
    const instanceKeys = members.map((i) => Keys.instance(account, regionOfZone(lastSegment(i.zone)), i.name));
    const loadBalancerNames = csv(metadata[LOAD_BALANCER_NAMES]);
    const backendServiceNames = csv(metadata[BACKEND_SERVICE_NAMES]);
    const targetPoolNames = (igm.targetPools ?? []).map(lastSegment);
    const servingBackendServices = igm.instanceGroup ? (backendGroups.get(fromProjects(igm.instanceGroup)) ?? []) : [];
    const hasTraffic = targetPoolNames.length > 0 || servingBackendServices.length > 0;
    const disabled = (loadBalancerNames.length > 0 || backendServiceNames.length > 0) && !hasTraffic;
    const zones: string[] = zonal
      ? [scope.zone!]
      : (igm.distributionPolicy?.zones ?? [])
          .map((z) => lastSegment(z.zone))
          .filter(Boolean)
          .sort();
    const machineType = props.machineType as string | undefined;
    const bootDisk = (props.disks ?? []).find((d) => d.boot) ?? (props.disks ?? [])[0];
    const imageId = lastSegment(bootDisk?.initializeParams?.sourceImage) || undefined;
    const nic: NetworkInterface = (props.networkInterfaces ?? [])[0] ?? {};
    const createdTime = epochMs(igm.creationTimestamp);
    const lbKeys = loadBalancerNames.map((lb) => Keys.loadBalancer(account, region, lb));
    const autoscaler = autoscalerByTarget.get(groupPath(igm.selfLink) ?? '');
    const policy = autoscaler?.autoscalingPolicy;
    const size = igm.targetSize ?? 0;
    // With an autoscaler the bounds are its replicas (whatever its mode), as Clouddriver reports them.
    const capacity = policy ? { min: policy.minNumReplicas ?? 0, max: policy.maxNumReplicas ?? size, desired: size } : { min: size, max: size, desired: size };
    const templateView = template
      ? { name: template.name, selfLink: template.selfLink, creationTimestamp: template.creationTimestamp, properties: props }
      : { name: templateName };
    const related = { applications: [appKey], clusters: [clusterKey], instances: instanceKeys, loadBalancers: lbKeys };

    serverGroups.push(
      index.serverGroupItem(
        { serverGroupKey: sgKey, clusterKey, applicationKey: appKey, account, names, name, region },
        {
          ...(zonal ? { zone: scope.zone } : {}),
          zones,
          regional: !zonal,
          selfLink: igm.selfLink,
          instanceGroup: igm.instanceGroup,
          baseInstanceName: igm.baseInstanceName,
          targetSize: size,
          capacity,
          ...(autoscaler ? { autoscalerName: autoscaler.name, autoscalingPolicy: policy } : {}),
          currentActions: igm.currentActions ?? {},
          ...(igm.statefulPolicy?.preservedState ? { statefulPolicy: igm.statefulPolicy } : {}),
          ...autoHealingPolicyOf(igm),
          isStable: igm.status?.isStable ?? true,
          instanceTemplateName: templateName,
          instanceTemplate: templateView,
          launchConfig: {
            launchConfigurationName: templateName,
            instanceType: machineType,
            ...(imageId ? { imageId } : {}),
            ...(template?.creationTimestamp ? { createdTime: epochMs(template.creationTimestamp) } : {}),
            instanceTemplate: templateView,
          },
          ...(machineType ? { instanceType: machineType } : {}),
          ...(imageId ? { imageId } : {}),
          network: lastSegment(nic.network) || 'default',
          ...(nic.subnetwork ? { subnet: lastSegment(nic.subnetwork) } : {}),
          tags: props.tags?.items ?? [],
          labels: props.labels ?? {},
          instanceMetadata: metadata,
          targetPools: igm.targetPools ?? [],
          targetPoolNames,
          loadBalancerNames,
          backendServiceNames,
          servingBackendServices,
          disabled,
          ...(createdTime !== undefined ? { createdTime } : {}),
          instanceNames: members.map((i) => i.name),
          moniker: monikerOf(name),
        },
        related,
      ),
    );
  }

  return {
    [Types.serverGroups]: serverGroups,
    [Types.clusters]: index.clusterItems(),
    [Types.applications]: index.applicationItems(),
    [Types.instances]: index.relatedItems(Types.instances),
    [Types.loadBalancers]: index.relatedItems(Types.loadBalancers),
  };
}

/** Clouddriver's `GoogleAutoHealingPolicy` view of the group's first auto-healing policy (Deck shows it), if any. */
function autoHealingPolicyOf(igm: Pick<InstanceGroupManager, 'autoHealingPolicies'>): { autoHealingPolicy?: Record<string, unknown> } {
  const first = (igm.autoHealingPolicies ?? [])[0];
  if (!first?.healthCheck) return {};
  return {
    autoHealingPolicy: {
      healthCheck: lastSegment(first.healthCheck),
      healthCheckUrl: first.healthCheck,
      ...(first.initialDelaySec !== undefined ? { initialDelaySec: first.initialDelaySec } : {}),
    },
  };
}
