import type { LaunchTemplateVersion, ResponseLaunchTemplateData } from '@aws-sdk/client-ec2';
import type { Cache, CacheData, InstanceCounts, InstanceView, ServerGroupView } from '@stratus/plugin-api';
import { healthStateOf, instanceViewFields, relatedItems, serverGroupViewFields } from '@stratus/provider-kit';
import { AWS, Keys, Types } from '../keys.js';
import type { AwsPlain } from '../plain.js';

/** Target group health (`healthy`, `unhealthy`, …) mapped onto Clouddriver health states. */
function targetHealthState(state: string | undefined): string {
  switch (state) {
    case 'healthy':
      return 'Up';
    case 'initial':
      return 'Starting';
    case 'draining':
      return 'Draining';
    case 'unused':
      return 'OutOfService';
    case undefined:
      return 'Unknown';
    default:
      return 'Down';
  }
}

/** Classic load balancer instance states (`InService`, `OutOfService`, `Unknown`) as health states. */
function classicHealthState(state: string | undefined): string {
  return state === 'InService' ? 'Up' : state === 'OutOfService' ? 'OutOfService' : 'Unknown';
}

/**
 * Clouddriver's AWS `Instance` JSON from a cached instance, plus `TargetGroup` and `LoadBalancer`
 * (classic) health from the server group's target groups and classic load balancers, when known.
 */
export function instanceView(
  item: CacheData,
  targetGroups: readonly CacheData[] = [],
  classicLoadBalancers: readonly CacheData[] = [],
  discovery?: CacheData,
): InstanceView {
  const a = item.attributes;
  const health: Record<string, unknown>[] = [...((a.health as Record<string, unknown>[]) ?? [])];
  const id = a.instanceId as string;
  const tgHealth = targetGroups.flatMap((tg) =>
    ((tg.attributes.targetHealths as Record<string, unknown>[]) ?? [])
      .filter((t) => t.instanceId === id)
      .map((t) => ({
        targetGroupName: tg.attributes.targetGroupName,
        state: targetHealthState(t.state as string | undefined),
        status: t.state,
        reasonCode: t.reasonCode,
      })),
  );
  if (tgHealth.length > 0) health.push({ type: 'TargetGroup', targetGroups: tgHealth, state: healthStateOf(tgHealth) });
  const lbHealth = classicLoadBalancers.flatMap((lb) =>
    ((lb.attributes.instanceStates as Record<string, unknown>[]) ?? [])
      .filter((s) => s.instanceId === id)
      .map((s) => ({
        loadBalancerName: lb.attributes.loadBalancerName,
        state: s.state,
        reasonCode: s.reasonCode,
        description: s.description,
        healthState: classicHealthState(s.state as string | undefined),
      })),
  );
  if (discovery) health.push({ ...discovery.attributes });
  if (lbHealth.length > 0)
    health.push({ type: 'LoadBalancer', loadBalancers: lbHealth, state: healthStateOf(lbHealth.map((h) => ({ state: h.healthState }))) });
  // `application` is cache bookkeeping (the instance's application index); Clouddriver's instance JSON has none.
  const { health: _h, tagMap: _t, stateName: _s, application: _a, ...rest } = a;
  return {
    ...rest,
    ...instanceViewFields({ cloudProvider: AWS, id, attributes: a, health, healthState: healthStateOf(health), zone: a.zone as string | undefined }),
  };
}

/**
 * Clouddriver's `InstanceCounts`, with the `succeeded` and `failed` Deck's `IInstanceCounts`
 * requires (Failed is its own state, not counted as down).
 */
export function countInstances(instances: readonly InstanceView[]): InstanceCounts & { succeeded: number; failed: number } {
  const counts = { total: instances.length, up: 0, down: 0, unknown: 0, outOfService: 0, starting: 0, succeeded: 0, failed: 0 };
  for (const i of instances) {
    const state = i.healthState as string;
    if (state === 'Up') counts.up++;
    else if (state === 'Down') counts.down++;
    else if (state === 'Failed') counts.failed++;
    else if (state === 'Succeeded') counts.succeeded++;
    else if (state === 'OutOfService' || state === 'Draining') counts.outOfService++;
    else if (state === 'Starting') counts.starting++;
    else counts.unknown++;
  }
  return counts;
}

/** Launch template data of the version the ASG runs (`$Latest`, `$Default` or a number). */
function launchTemplateView(spec: Record<string, unknown> | undefined, template: CacheData | undefined): Record<string, unknown> | undefined {
  if (!spec) return undefined;
  // The launch template caching agent stores the versions as `toPlain` made them.
  const versions = (template?.attributes.versions as AwsPlain<LaunchTemplateVersion>[] | undefined) ?? [];
  const wanted = spec.version as string | undefined;
  const version =
    wanted === '$Default'
      ? versions.find((v) => v.defaultVersion)
      : wanted === '$Latest' || wanted === undefined
        ? (template?.attributes.latestVersion as Record<string, unknown> | undefined)
        : (versions.find((v) => String(v.versionNumber) === wanted) ?? (template?.attributes.latestVersion as Record<string, unknown> | undefined));
  return { ...spec, ...(version ? { launchTemplateData: version.launchTemplateData, versionNumber: version.versionNumber } : {}) };
}

/** Builds full `ServerGroup` JSON for cached server groups, loading related items in bulk. */
// eslint-disable-next-line max-lines-per-function -- to split after the perf-reads merge (another helper is rewriting read-models/ now)
export async function serverGroupViews(cache: Cache, items: readonly CacheData[]): Promise<ServerGroupView[]> {
  const rel = (type: string) => [...new Set(items.flatMap((i) => i.relationships[type] ?? []))];
  const [instances, templates, targetGroups, loadBalancers] = await Promise.all([
    cache.getAllByIds(Types.instances, rel(Types.instances), { relationshipPrefixes: [] }),
    cache.getAllByIds(Types.launchTemplates, rel(Types.launchTemplates), { relationshipPrefixes: [] }),
    cache.getAllByIds(Types.targetGroups, rel(Types.targetGroups), { relationshipPrefixes: [] }),
    cache.getAllByIds(Types.loadBalancers, rel(Types.loadBalancers), { relationshipPrefixes: [] }),
  ]);
  const discoveryKeys = instances.map((i) =>
    Keys.health(i.attributes.instanceId as string, i.attributes.account as string, i.attributes.region as string, 'Discovery'),
  );
  const discoveryById = new Map(
    (await cache.getAllByIds(Types.health, discoveryKeys, { relationshipPrefixes: [] })).map((h) => [h.attributes.instanceId as string, h]),
  );
  const launchConfigById = new Map(
    (await cache.getAllByIds(Types.launchConfigs, rel(Types.launchConfigs), { relationshipPrefixes: [] })).map((lc) => [lc.id, lc]),
  );
  const lbById = new Map(loadBalancers.filter((lb) => lb.attributes.loadBalancerType === 'classic').map((lb) => [lb.id, lb]));
  const byId = <T extends CacheData>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const instanceById = byId(instances);
  const templateById = byId(templates);
  const tgById = byId(targetGroups);
  const templateOf = (item: CacheData) => {
    const key = (item.relationships[Types.launchTemplates] ?? [])[0];
    return launchTemplateView(item.attributes.launchTemplateSpecification as Record<string, unknown> | undefined, key ? templateById.get(key) : undefined);
  };
  const launchConfigOf = (item: CacheData) => {
    const key = (item.relationships[Types.launchConfigs] ?? [])[0];
    const lc = key ? launchConfigById.get(key) : undefined;
    return lc && typeof lc.attributes.launchConfigurationName === 'string' ? lc.attributes : undefined;
  };
  const imageKeys = items.flatMap((item) => {
    const imageId = (templateOf(item)?.launchTemplateData as Record<string, unknown> | undefined)?.imageId ?? launchConfigOf(item)?.imageId;
    return typeof imageId === 'string' ? [Keys.image(item.attributes.account as string, item.attributes.region as string, imageId)] : [];
  });
  const imageById = byId(await cache.getAllByIds(Types.images, [...new Set(imageKeys)], { relationshipPrefixes: [] }));
  const subnets = new Map<string, CacheData>();
  for (const item of items) {
    for (const id of (item.attributes.subnetIds as string[]) ?? []) {
      if (!subnets.has(id)) {
        const subnet = await cache.get(Types.subnets, Keys.subnet(id, item.attributes.account as string, item.attributes.region as string), {
          relationshipPrefixes: [],
        });
        if (subnet) subnets.set(id, subnet);
      }
    }
  }

  return items.map((item) => {
    const a = item.attributes;
    const sgTargetGroups = relatedItems(item, Types.targetGroups, tgById);
    const views = relatedItems(item, Types.instances, instanceById).map((i) =>
      instanceView(i, sgTargetGroups, relatedItems(item, Types.loadBalancers, lbById), discoveryById.get(i.attributes.instanceId as string)),
    );
    const launchTemplate = templateOf(item);
    const launchConfig = launchConfigOf(item);
    // A launch configuration carries the same fields under the same names where the view reads them.
    const data = (launchTemplate?.launchTemplateData ??
      (launchConfig ? { imageId: launchConfig.imageId, instanceType: launchConfig.instanceType } : {})) as AwsPlain<ResponseLaunchTemplateData>;
    const securityGroups: string[] =
      launchConfig && !launchTemplate
        ? [...((launchConfig.securityGroups as string[]) ?? [])]
        : [...(data.securityGroupIds ?? []), ...(data.networkInterfaces ?? []).flatMap((n) => n.groups ?? [])];
    const firstSubnet = ((a.subnetIds as string[]) ?? []).map((id) => subnets.get(id)).find(Boolean);
    const tags = (a.tags as Record<string, string>) ?? {};
    return {
      ...serverGroupViewFields(AWS, item),
      instances: views,
      loadBalancers: (a.loadBalancerNames as string[]) ?? [],
      targetGroups: (a.targetGroupNames as string[]) ?? [],
      securityGroups: [...new Set(securityGroups)],
      capacity: a.capacity as ServerGroupView['capacity'],
      instanceCounts: countInstances(views),
      ...(launchTemplate ? { launchTemplate } : {}),
      ...(a.launchConfigName ? { launchConfig: launchConfig ?? { launchConfigurationName: a.launchConfigName } } : {}),
      ...(data.instanceType ? { instanceType: data.instanceType } : {}),
      ...(data.imageId ? imageFields(data.imageId as string, imageById.get(Keys.image(a.account as string, a.region as string, data.imageId as string))) : {}),
      tags,
      labels: {},
      asg: a.asg,
      vpcId: firstSubnet?.attributes.vpcId as string | undefined,
      subnetType: subnetPurpose(firstSubnet),
      suspendedProcesses: a.suspendedProcesses,
      scalingPolicies: a.scalingPolicies ?? [],
      scheduledActions: a.scheduledActions ?? [],
      serverGroupManagers: [],
    } as ServerGroupView;
  });
}

/** The `purpose` in a subnet's `immutable_metadata` tag (how Spinnaker names subnet types). */
export function subnetPurpose(subnet: CacheData | undefined): string | undefined {
  const raw = (subnet?.attributes.tagMap as Record<string, string> | undefined)?.immutable_metadata;
  if (!raw) return undefined;
  try {
    return (JSON.parse(raw) as { purpose?: string }).purpose;
  } catch {
    return undefined;
  }
}

/** `image` and `buildInfo` of a server group. */
function imageFields(imageId: string, image: CacheData | undefined): Record<string, unknown> {
  const tags = (image?.attributes.tagMap as Record<string, string> | undefined) ?? {};
  return { image: imageSummary(imageId, image), buildInfo: buildInfoOf(tags) ?? {} };
}

/**
 * Clouddriver's `buildInfo` from an image's `appversion` tag (`<package>-<version>-h<build>.<commit>/<job>/<number>`,
 * as Rosco writes it): `{package_name, version, commit, jenkins: {name, number, host}, buildInfoUrl}`.
 */
export function buildInfoOf(tags: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  const match = /^([\w-]+?)-(\d[\w.~+]*?)(?:-h(\d+))?(?:\.([0-9a-fA-F]+))?(?:\/([\w.-]+)\/(\d+))?$/.exec(tags.appversion ?? '');
  if (!match) return undefined;
  const [, packageName, version, , commit, job, number] = match;
  const info: Record<string, unknown> = { package_name: packageName, version, ...(commit ? { commit } : {}) };
  if (job) info.jenkins = { name: job, number, ...(tags.build_host ? { host: tags.build_host } : {}) };
  if (tags.build_info_url) info.buildInfoUrl = tags.build_info_url;
  return info;
}

/** `image` of a server group: the id, plus name and tags when the image is cached (owned by the account). */
function imageSummary(imageId: string, image: CacheData | undefined): Record<string, unknown> {
  if (!image) return { imageId };
  return { imageId, name: image.attributes.name, tags: image.attributes.tagMap, creationDate: image.attributes.creationDate };
}
