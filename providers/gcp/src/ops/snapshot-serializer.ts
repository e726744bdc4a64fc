/* eslint-disable @typescript-eslint/no-explicit-any -- compute/v1 JSON (toPlain of an @google-cloud/compute object) read field by field; a typed Plain<T> is left for the provider kit (issue 17) */
import { parseServerGroupName } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { collect } from '../caching/gce-agent.js';
import { gceCall, gceErrorStatus } from '../operations.js';
import { lastSegment, named, toPlain } from '../plain.js';

/** The Terraform resource types a GCE snapshot holds (Clouddriver's `SaveSnapshotAtomicOperation` writes these). */
export const TF = {
  group: 'google_compute_instance_group_manager',
  template: 'google_compute_instance_template',
  targetPool: 'google_compute_target_pool',
  forwardingRule: 'google_compute_forwarding_rule',
  autoscaler: 'google_compute_autoscaler',
  firewall: 'google_compute_firewall',
} as const;

export type Infrastructure = Record<string, Record<string, Record<string, unknown>>>;

/** `${google_compute_<type>.<key>.self_link}`, Terraform's reference to another resource of the snapshot. */
export const tfRef = (type: string, key: string): string => `\${${type}.${key}.self_link}`;

/** The resource key a Terraform reference names, else undefined (a literal link). */
export function tfRefKey(value: unknown, type: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{([a-z_]+)\.([^.}]+)\.(self_link|name)\}$/.exec(value);
  return match && match[1] === type ? match[2] : undefined;
}

/** What `saveSnapshot` found, plus what it left out and why (history lines). */
export interface SerializedInfrastructure {
  readonly infrastructure: Infrastructure;
  readonly skipped: string[];
}

const orUndefinedOn404 = (error: unknown) => {
  if (gceErrorStatus(error) === 404) return undefined;
  throw error;
};

/**
 * Serialises an application's GCE resources in one account as Terraform-style JSON, the way
 * Clouddriver's `saveSnapshot` does: its zonal managed instance groups (named `<app>[-…]`) with their
 * instance templates and autoscalers, the network load balancers (forwarding rule and target pool)
 * named for the application or sending to its groups, and the firewalls whose target tags meet the
 * templates' tags. Clouddriver reads these from its cache; Stratus reads them live through the same
 * SDK client the restore uses, so a snapshot never holds a stale cache entry.
 */
export async function serializeApplication(clients: GceAccountClients, account: GceAccount, application: string): Promise<SerializedInfrastructure> {
  const project = account.project;
  const regions = new Set(account.regions.map((r) => r.name));
  const infrastructure: Infrastructure = {};
  const skipped: string[] = [];
  const put = (type: string, key: string, value: Record<string, unknown>) => void ((infrastructure[type] ??= {})[key] = value);
  const options = { ...clients.callOptions, autoPaginate: false };
  const ofApp = (name: string | undefined | null) => typeof name === 'string' && parseServerGroupName(name).app === application;

  const groups: { igm: any; zone: string; region: string }[] = [];
  // The aggregated list holds zonal (`zones/…`) and regional (`regions/…`) groups.
  for await (const [scope, list] of clients.zonalGroups.aggregatedListAsync({ project }, options)) {
    const where = scope.slice(scope.indexOf('/') + 1);
    const zonal = scope.startsWith('zones/');
    const region = zonal ? where.replace(/-[a-z]$/, '') : where;
    if (!regions.has(region)) continue;
    for (const igm of list.instanceGroupManagers ?? []) {
      if (!ofApp(igm.name)) continue;
      // Clouddriver's snapshot has no form for a regional group (it needs a zone); say so instead of failing.
      if (zonal) groups.push({ igm: toPlain(igm), zone: where, region });
      else skipped.push(`regional server group ${igm.name} (snapshots hold zonal groups only)`);
    }
  }

  // Network load balancers of this application: named for it, or sending to one of its groups' pools.
  const groupPools = new Set(groups.flatMap((g) => ((g.igm.targetPools as string[]) ?? []).map(lastSegment)));
  const loadBalancerOfPool = await serializeLoadBalancers(clients, project, regions, (name) => ofApp(name), groupPools, put);

  const applicationTags = new Set<string>();
  for (const { igm, zone } of groups) {
    const templateName = lastSegment(igm.instanceTemplate ?? '');
    if (!infrastructure[TF.template]?.[templateName]) {
      const template = await clients.instanceTemplates
        .get({ project, instanceTemplate: templateName }, clients.callOptions)
        .then(([t]) => toPlain(t), orUndefinedOn404);
      if (!template) {
        skipped.push(`server group ${igm.name} (its instance template ${templateName} is gone)`);
        continue;
      }
      const serialized = templateToTerraform(template, project);
      for (const tag of (serialized.tags as string[] | undefined) ?? []) applicationTags.add(tag);
      put(TF.template, templateName, serialized);
    }
    const autoscaler = await clients.autoscalers.get({ project, zone, autoscaler: igm.name }, clients.callOptions).then(([a]) => toPlain(a), orUndefinedOn404);
    put(TF.group, igm.name, {
      name: igm.name,
      base_instance_name: igm.baseInstanceName ?? igm.name,
      zone,
      instance_template: tfRef(TF.template, templateName),
      project,
      target_pools: ((igm.targetPools as string[]) ?? []).map((link) => {
        const lb = loadBalancerOfPool.get(lastSegment(link));
        return lb ? tfRef(TF.targetPool, lb) : link;
      }),
      // Clouddriver: only one of target_size and an autoscaler, or they fight.
      ...(autoscaler ? {} : { target_size: igm.targetSize ?? 0 }),
      ...(igm.namedPorts?.length ? { named_port: igm.namedPorts.map((p: any) => ({ name: p.name, port: p.port })) } : {}),
    });
    if (autoscaler) put(TF.autoscaler, igm.name, autoscalerToTerraform(autoscaler, igm.name, zone, project));
  }

  if (applicationTags.size > 0) {
    const firewalls = await gceCall('Listing firewalls', () => collect(clients.firewalls.listAsync({ project }, options)));
    for (const firewall of firewalls.filter(named).map(toPlain)) {
      const targets: string[] = firewall.targetTags ?? [];
      if (!targets.some((t) => applicationTags.has(t))) continue;
      put(TF.firewall, firewall.name, firewallToTerraform(firewall, project));
    }
  }
  return { infrastructure, skipped };
}

function templateToTerraform(template: any, project: string): Record<string, unknown> {
  const p = template.properties ?? {};
  if (!p.machineType) throw new Error(`Instance template ${template.name} has no machine type`);
  const disks = ((p.disks as any[]) ?? [])
    .filter((d) => d.source || d.initializeParams?.sourceImage)
    .map((d) => ({
      ...(d.autoDelete !== undefined ? { auto_delete: d.autoDelete } : {}),
      ...(d.boot !== undefined ? { boot: d.boot } : {}),
      ...(d.deviceName ? { device_name: d.deviceName } : {}),
      ...(d.initializeParams?.diskName ? { name: d.initializeParams.diskName } : {}),
      // Clouddriver keeps the image's name only; the restore looks it up in the account's image projects.
      ...(d.initializeParams?.sourceImage ? { source_image: lastSegment(d.initializeParams.sourceImage) } : {}),
      ...(d.source ? { source: d.source } : {}),
      ...(d.interface ? { interface: d.interface } : {}),
      ...(d.mode ? { mode: d.mode } : {}),
      ...(d.initializeParams?.diskType ? { disk_type: d.initializeParams.diskType } : {}),
      ...(d.initializeParams?.diskSizeGb ? { disk_size_gb: Number(d.initializeParams.diskSizeGb) } : {}),
      ...(d.type ? { type: d.type } : {}),
    }));
  if (disks.length === 0) throw new Error(`Instance template ${template.name} has no disk with a source or an image`);
  const scheduling = p.scheduling;
  const serviceAccount = (p.serviceAccounts as any[] | undefined)?.[0];
  return {
    name: template.name,
    machine_type: p.machineType,
    project,
    ...(p.canIpForward !== undefined ? { can_ip_forward: p.canIpForward } : {}),
    ...(template.description ? { description: template.description } : {}),
    ...(p.description ? { instance_description: p.description } : {}),
    ...(p.tags?.items?.length ? { tags: [...p.tags.items] } : {}),
    ...(p.labels && Object.keys(p.labels).length > 0 ? { labels: { ...p.labels } } : {}),
    disk: disks,
    ...(p.networkInterfaces?.length
      ? {
          network_interface: (p.networkInterfaces as any[]).map((n) => ({
            ...(n.network ? { network: lastSegment(n.network) } : {}),
            ...(n.subnetwork ? { subnetwork: lastSegment(n.subnetwork) } : {}),
            ...(n.accessConfigs?.length ? { access_config: (n.accessConfigs as any[]).map((a) => ({ nat_ip: a.natIP ?? '' })) } : {}),
          })),
        }
      : {}),
    ...(scheduling
      ? {
          scheduling: {
            ...(scheduling.automaticRestart !== undefined ? { automatic_restart: scheduling.automaticRestart } : {}),
            ...(scheduling.onHostMaintenance ? { on_host_maintenance: scheduling.onHostMaintenance } : {}),
            ...(scheduling.preemptible !== undefined ? { preemptible: scheduling.preemptible } : {}),
          },
        }
      : {}),
    ...(serviceAccount ? { service_account: { ...(serviceAccount.email ? { email: serviceAccount.email } : {}), scopes: serviceAccount.scopes ?? [] } } : {}),
    ...(p.metadata?.items?.length ? { metadata: Object.fromEntries((p.metadata.items as any[]).map((i) => [i.key, i.value])) } : {}),
    ...(p.shieldedVmConfig
      ? {
          shielded_vm_config: {
            enable_secure_boot: p.shieldedVmConfig.enableSecureBoot,
            enable_vtpm: p.shieldedVmConfig.enableVtpm,
            enable_integrity_monitoring: p.shieldedVmConfig.enableIntegrityMonitoring,
          },
        }
      : {}),
  };
}

/** Clouddriver's metric types in Terraform's words (its TODO: GCE's and Terraform's do not match one to one). */
export const METRIC_TYPES: Record<string, string> = { GAUGE: 'gauge', DELTA_PER_SECOND: 'delta', DELTA_PER_MINUTE: 'cumulative' };

function autoscalerToTerraform(autoscaler: any, group: string, zone: string, project: string): Record<string, unknown> {
  const policy = autoscaler.autoscalingPolicy ?? {};
  return {
    name: autoscaler.name,
    target: tfRef(TF.group, group),
    zone,
    project,
    autoscaling_policy: {
      max_replicas: policy.maxNumReplicas,
      min_replicas: policy.minNumReplicas,
      ...(policy.coolDownPeriodSec ? { cooldown_period: policy.coolDownPeriodSec } : {}),
      ...(policy.cpuUtilization?.utilizationTarget
        ? {
            cpu_utilization: {
              target: policy.cpuUtilization.utilizationTarget,
              ...(policy.cpuUtilization.predictiveMethod ? { predictive_method: String(policy.cpuUtilization.predictiveMethod).toLowerCase() } : {}),
            },
          }
        : {}),
      ...(policy.loadBalancingUtilization?.utilizationTarget
        ? { load_balancing_utilization: { target: policy.loadBalancingUtilization.utilizationTarget } }
        : {}),
      ...(policy.customMetricUtilizations?.length
        ? {
            metric: (policy.customMetricUtilizations as any[])
              .filter((m) => m.metric && m.utilizationTarget)
              .map((m) => ({
                name: m.metric,
                target: m.utilizationTarget,
                type: METRIC_TYPES[m.utilizationTargetType] ?? 'gauge',
                ...(m.filter ? { filter: m.filter } : {}),
              })),
          }
        : {}),
    },
  };
}

function firewallToTerraform(firewall: any, project: string): Record<string, unknown> {
  const allowed = (firewall.allowed as any[]) ?? [];
  if (allowed.length === 0) throw new Error(`Firewall ${firewall.name} has no allow rule`);
  return {
    name: firewall.name,
    network: lastSegment(firewall.network ?? 'default'),
    project,
    ...(firewall.description ? { description: firewall.description } : {}),
    ...(firewall.priority !== undefined ? { priority: firewall.priority } : {}),
    allow: allowed.map((a) => ({ protocol: a.IPProtocol, ...(a.ports?.length ? { ports: [...a.ports] } : {}) })),
    source_ranges: [...((firewall.sourceRanges as string[]) ?? [])],
    ...(firewall.sourceTags?.length ? { source_tags: [...firewall.sourceTags] } : {}),
    ...(firewall.targetTags?.length ? { target_tags: [...firewall.targetTags] } : {}),
  };
}

/** The network load balancers (forwarding rule + target pool) to snapshot; returns target pool name → load balancer name. */
async function serializeLoadBalancers(
  clients: GceAccountClients,
  project: string,
  regions: ReadonlySet<string>,
  ofApp: (name: string | undefined | null) => boolean,
  groupPools: ReadonlySet<string>,
  put: (type: string, key: string, value: Record<string, unknown>) => void,
): Promise<Map<string, string>> {
  const options = { ...clients.callOptions, autoPaginate: false };
  const loadBalancerOfPool = new Map<string, string>();
  for (const region of regions) {
    const rules = await gceCall(`Listing forwarding rules of ${region}`, () => collect(clients.forwardingRules.listAsync({ project, region }, options)));
    for (const rule of rules.filter(named).map(toPlain)) {
      const pool = typeof rule.target === 'string' && rule.target.includes('/targetPools/') ? lastSegment(rule.target) : undefined;
      if (!pool || !(ofApp(rule.name) || groupPools.has(pool))) continue;
      const targetPool = await clients.targetPools.get({ project, region, targetPool: pool }, clients.callOptions).then(([p]) => toPlain(p), orUndefinedOn404);
      if (!targetPool) continue;
      loadBalancerOfPool.set(pool, rule.name);
      put(TF.targetPool, rule.name, {
        name: pool,
        project,
        region,
        ...(targetPool.sessionAffinity ? { session_affinity: targetPool.sessionAffinity } : {}),
      });
      put(TF.forwardingRule, rule.name, {
        name: rule.name,
        project,
        region,
        ...(rule.IPProtocol ? { ip_protocol: rule.IPProtocol } : {}),
        ...(rule.portRange ? { port_range: rule.portRange } : {}),
        target: tfRef(TF.targetPool, rule.name),
      });
    }
  }
  return loadBalancerOfPool;
}
