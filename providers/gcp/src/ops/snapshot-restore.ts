/* eslint-disable @typescript-eslint/no-explicit-any -- snapshot JSON and compute/v1 JSON (toPlain of an @google-cloud/compute object) read field by field */
import type { OperationTask } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { awaitOperation, gceCall, gceErrorStatus } from '../operations.js';
import { lastSegment, toPlain } from '../plain.js';
import { resolveImage } from './live-lookups.js';
import { METRIC_TYPES, TF, tfRefKey, type Infrastructure } from './snapshot-serializer.js';

export const RESTORE_PHASE = 'RESTORE_SNAPSHOT';

/** What a restore changed, for the history and the cache refresh. */
export interface RestoreReport {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  /** `region/name` of every server group the restore created or changed. */
  readonly serverGroups: { region: string; name: string }[];
  /** Regions whose network load balancers changed. */
  readonly loadBalancerRegions: Set<string>;
  firewallsChanged: boolean;
}

const orUndefinedOn404 = (error: unknown) => {
  if (gceErrorStatus(error) === 404) return undefined;
  throw error;
};

const sameSet = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  const left = new Set(a.map(String));
  const right = new Set(b.map(String));
  return left.size === right.size && [...left].every((x) => right.has(x));
};

interface Ctx {
  readonly clients: GceAccountClients;
  readonly account: GceAccount;
  readonly project: string;
  readonly task: OperationTask;
  readonly signal: AbortSignal;
  readonly report: RestoreReport;
  readonly infrastructure: Infrastructure;
}

async function run(ctx: Ctx, what: string, call: () => Promise<unknown>): Promise<void> {
  await ctx.task.updateStatus(RESTORE_PHASE, what);
  await awaitOperation(ctx.clients, await gceCall(what, call), { signal: ctx.signal });
}

const entries = (infrastructure: Infrastructure, type: string): [string, any][] => Object.entries(infrastructure[type] ?? {});

/**
 * Brings the account back to a snapshot without Terraform: each resource of the snapshot is
 * compared with the live one through the GCE API and created when missing or updated where it
 * differs, in dependency order (target pools, forwarding rules, firewalls, instance templates,
 * groups, autoscalers). Resources the snapshot does not name are left alone: Clouddriver's
 * `terraform apply` over imported state would destroy them, which Stratus does not do (see
 * docs/providers/gcp.md, "Snapshots").
 */
export async function restoreInfrastructure(
  clients: GceAccountClients,
  account: GceAccount,
  infrastructure: Infrastructure,
  task: OperationTask,
  signal: AbortSignal,
): Promise<RestoreReport> {
  const report: RestoreReport = { created: [], updated: [], unchanged: [], serverGroups: [], loadBalancerRegions: new Set(), firewallsChanged: false };
  const ctx: Ctx = { clients, account, project: account.project, task, signal, report, infrastructure };
  for (const [key, pool] of entries(infrastructure, TF.targetPool)) await restoreTargetPool(ctx, key, pool);
  for (const [key, rule] of entries(infrastructure, TF.forwardingRule)) await restoreForwardingRule(ctx, key, rule);
  for (const [, firewall] of entries(infrastructure, TF.firewall)) await restoreFirewall(ctx, firewall);
  for (const [key, template] of entries(infrastructure, TF.template)) await restoreTemplate(ctx, key, template);
  for (const [, group] of entries(infrastructure, TF.group)) await restoreGroup(ctx, group);
  for (const [, autoscaler] of entries(infrastructure, TF.autoscaler)) await restoreAutoscaler(ctx, autoscaler);
  return report;
}

/** The live link of a snapshot reference: the named resource of the snapshot, or a literal link. */
function linkOf(ctx: Ctx, value: unknown, type: string): string {
  const key = tfRefKey(value, type);
  if (key === undefined) return String(value);
  const resource = ctx.infrastructure[type]?.[key] as any;
  if (!resource) throw new Error(`The snapshot refers to ${type}.${key}, which it does not hold`);
  const name = String(resource.name ?? key);
  if (type === TF.targetPool) return `projects/${ctx.project}/regions/${resource.region}/targetPools/${name}`;
  if (type === TF.template) return `projects/${ctx.project}/global/instanceTemplates/${name}`;
  if (type === TF.group) return `projects/${ctx.project}/zones/${resource.zone}/instanceGroupManagers/${name}`;
  throw new Error(`Cannot resolve a reference to ${type}`);
}

async function restoreTargetPool(ctx: Ctx, key: string, pool: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(pool.name ?? key);
  const region = String(pool.region);
  const live = await clients.targetPools.get({ project, region, targetPool: name }, clients.callOptions).then(([p]) => p, orUndefinedOn404);
  if (live) return void report.unchanged.push(`target pool ${name}`);
  await run(ctx, `Creating target pool ${name} in ${region}`, () =>
    clients.targetPools.insert(
      { project, region, targetPoolResource: { name, ...(pool.session_affinity ? { sessionAffinity: pool.session_affinity } : {}) } },
      clients.callOptions,
    ),
  );
  report.created.push(`target pool ${name}`);
  report.loadBalancerRegions.add(region);
}

async function restoreForwardingRule(ctx: Ctx, key: string, rule: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(rule.name ?? key);
  const region = String(rule.region);
  const target = linkOf(ctx, rule.target, TF.targetPool);
  const live = toPlain(await clients.forwardingRules.get({ project, region, forwardingRule: name }, clients.callOptions).then(([r]) => r, orUndefinedOn404));
  const body = {
    name,
    ...(rule.ip_protocol ? { IPProtocol: rule.ip_protocol } : {}),
    ...(rule.port_range ? { portRange: rule.port_range } : {}),
    target,
    loadBalancingScheme: 'EXTERNAL',
  };
  if (live) {
    const differs =
      (rule.ip_protocol && live.IPProtocol !== rule.ip_protocol) ||
      (rule.port_range && live.portRange !== rule.port_range) ||
      lastSegment(live.target ?? '') !== lastSegment(target);
    if (!differs) return void report.unchanged.push(`forwarding rule ${name}`);
    // GCE cannot change a forwarding rule's protocol, ports or target in place.
    await run(ctx, `Deleting forwarding rule ${name} to recreate it as the snapshot has it`, () =>
      clients.forwardingRules.delete({ project, region, forwardingRule: name }, clients.callOptions),
    );
  }
  await run(ctx, `Creating forwarding rule ${name} in ${region}`, () =>
    clients.forwardingRules.insert({ project, region, forwardingRuleResource: body }, clients.callOptions),
  );
  (live ? report.updated : report.created).push(`forwarding rule ${name}`);
  report.loadBalancerRegions.add(region);
}

async function restoreFirewall(ctx: Ctx, firewall: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(firewall.name);
  const body = {
    name,
    network: `projects/${project}/global/networks/${firewall.network ?? 'default'}`,
    ...(firewall.description ? { description: firewall.description } : {}),
    ...(firewall.priority !== undefined ? { priority: firewall.priority } : {}),
    allowed: ((firewall.allow as any[]) ?? []).map((a) => ({ IPProtocol: a.protocol, ...(a.ports?.length ? { ports: a.ports } : {}) })),
    sourceRanges: firewall.source_ranges ?? [],
    sourceTags: firewall.source_tags ?? [],
    targetTags: firewall.target_tags ?? [],
  };
  const live = toPlain(await clients.firewalls.get({ project, firewall: name }, clients.callOptions).then(([f]) => f, orUndefinedOn404));
  if (!live) {
    await run(ctx, `Creating firewall ${name}`, () => clients.firewalls.insert({ project, firewallResource: body }, clients.callOptions));
    report.created.push(`firewall ${name}`);
    report.firewallsChanged = true;
    return;
  }
  const liveAllowed = ((live.allowed as any[]) ?? []).map((a) => `${a.IPProtocol}:${[...(a.ports ?? [])].sort().join(',')}`);
  const wantAllowed = body.allowed.map((a: any) => `${a.IPProtocol}:${[...(a.ports ?? [])].sort().join(',')}`);
  const same =
    sameSet(liveAllowed, wantAllowed) &&
    sameSet(live.sourceRanges ?? [], body.sourceRanges) &&
    sameSet(live.sourceTags ?? [], body.sourceTags) &&
    sameSet(live.targetTags ?? [], body.targetTags) &&
    lastSegment(live.network ?? '') === lastSegment(body.network);
  if (same) return void report.unchanged.push(`firewall ${name}`);
  await run(ctx, `Updating firewall ${name} to the snapshot's rules`, () =>
    clients.firewalls.update({ project, firewall: name, firewallResource: body }, clients.callOptions),
  );
  report.updated.push(`firewall ${name}`);
  report.firewallsChanged = true;
}

/** The region of the first group of the snapshot using a template (for its subnetwork links). */
function regionUsing(ctx: Ctx, templateKey: string): string | undefined {
  const group = entries(ctx.infrastructure, TF.group).find(([, g]) => tfRefKey(g.instance_template, TF.template) === templateKey)?.[1];
  return typeof group?.zone === 'string' ? group.zone.replace(/-[a-z]$/, '') : undefined;
}

async function restoreTemplate(ctx: Ctx, key: string, template: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(template.name ?? key);
  const live = await clients.instanceTemplates.get({ project, instanceTemplate: name }, clients.callOptions).then(([t]) => t, orUndefinedOn404);
  // Instance templates cannot change; one of that name is the one the snapshot saw.
  if (live) return void report.unchanged.push(`instance template ${name}`);
  const region = regionUsing(ctx, key);
  const disks = [];
  for (const d of (template.disk as any[]) ?? []) {
    const sourceImage = d.source_image ? await resolveImage(clients, ctx.account, String(d.source_image)) : undefined;
    disks.push({
      ...(d.auto_delete !== undefined ? { autoDelete: d.auto_delete } : {}),
      ...(d.boot !== undefined ? { boot: d.boot } : {}),
      ...(d.device_name ? { deviceName: d.device_name } : {}),
      ...(d.source ? { source: d.source } : {}),
      ...(d.interface ? { interface: d.interface } : {}),
      ...(d.mode ? { mode: d.mode } : {}),
      ...(d.type ? { type: d.type } : {}),
      ...(sourceImage || d.disk_type || d.disk_size_gb || d.name
        ? {
            initializeParams: {
              ...(d.name ? { diskName: d.name } : {}),
              ...(sourceImage ? { sourceImage } : {}),
              ...(d.disk_type ? { diskType: d.disk_type } : {}),
              ...(d.disk_size_gb ? { diskSizeGb: String(d.disk_size_gb) } : {}),
            },
          }
        : {}),
    });
  }
  const properties = {
    machineType: template.machine_type,
    ...(template.can_ip_forward !== undefined ? { canIpForward: template.can_ip_forward } : {}),
    ...(template.instance_description ? { description: template.instance_description } : {}),
    ...(template.tags ? { tags: { items: template.tags } } : {}),
    ...(template.labels ? { labels: template.labels } : {}),
    disks,
    networkInterfaces: ((template.network_interface as any[]) ?? [{ network: 'default' }]).map((n) => ({
      network: `projects/${project}/global/networks/${n.network ?? 'default'}`,
      ...(n.subnetwork && region ? { subnetwork: `projects/${project}/regions/${region}/subnetworks/${n.subnetwork}` } : {}),
      ...(n.access_config?.length
        ? { accessConfigs: (n.access_config as any[]).map((a) => ({ name: 'External NAT', type: 'ONE_TO_ONE_NAT', ...(a.nat_ip ? { natIP: a.nat_ip } : {}) })) }
        : {}),
    })),
    ...(template.scheduling
      ? {
          scheduling: {
            ...(template.scheduling.automatic_restart !== undefined ? { automaticRestart: template.scheduling.automatic_restart } : {}),
            ...(template.scheduling.on_host_maintenance ? { onHostMaintenance: template.scheduling.on_host_maintenance } : {}),
            ...(template.scheduling.preemptible !== undefined ? { preemptible: template.scheduling.preemptible } : {}),
          },
        }
      : {}),
    ...(template.service_account
      ? {
          serviceAccounts: [
            { ...(template.service_account.email ? { email: template.service_account.email } : {}), scopes: template.service_account.scopes ?? [] },
          ],
        }
      : {}),
    ...(template.metadata ? { metadata: { items: Object.entries(template.metadata).map(([k, v]) => ({ key: k, value: String(v) })) } } : {}),
    ...(template.shielded_vm_config
      ? {
          shieldedVmConfig: {
            enableSecureBoot: template.shielded_vm_config.enable_secure_boot,
            enableVtpm: template.shielded_vm_config.enable_vtpm,
            enableIntegrityMonitoring: template.shielded_vm_config.enable_integrity_monitoring,
          },
        }
      : {}),
  };
  await run(ctx, `Creating instance template ${name}`, () =>
    clients.instanceTemplates.insert(
      { project, instanceTemplateResource: { name, ...(template.description ? { description: template.description } : {}), properties } },
      clients.callOptions,
    ),
  );
  report.created.push(`instance template ${name}`);
}

async function restoreGroup(ctx: Ctx, group: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(group.name);
  const zone = String(group.zone);
  const region = zone.replace(/-[a-z]$/, '');
  const template = linkOf(ctx, group.instance_template, TF.template);
  const pools = ((group.target_pools as unknown[]) ?? []).map((p) => linkOf(ctx, p, TF.targetPool));
  const autoscaler = entries(ctx.infrastructure, TF.autoscaler).find(([, a]) => tfRefKey(a.target, TF.group) === name)?.[1];
  // An autoscaled group starts at the autoscaler's minimum; the autoscaler then owns its size.
  const size: number | undefined = typeof group.target_size === 'number' ? group.target_size : autoscaler?.autoscaling_policy?.min_replicas;
  const live = toPlain(await clients.zonalGroups.get({ project, zone, instanceGroupManager: name }, clients.callOptions).then(([g]) => g, orUndefinedOn404));
  if (!live) {
    const resource = {
      name,
      baseInstanceName: group.base_instance_name ?? name,
      instanceTemplate: template,
      targetSize: size ?? 0,
      targetPools: pools,
      ...(group.named_port ? { namedPorts: group.named_port } : {}),
    };
    await run(ctx, `Creating server group ${name} in ${zone} with target size ${size ?? 0}`, () =>
      clients.zonalGroups.insert({ project, zone, instanceGroupManagerResource: resource }, clients.callOptions),
    );
    report.created.push(`server group ${name}`);
    report.serverGroups.push({ region, name });
    return;
  }
  let changed = false;
  if (lastSegment(live.instanceTemplate ?? '') !== lastSegment(template)) {
    await run(ctx, `Setting the instance template of ${name} back to ${lastSegment(template)}`, () =>
      clients.zonalGroups.setInstanceTemplate(
        { project, zone, instanceGroupManager: name, instanceGroupManagersSetInstanceTemplateRequestResource: { instanceTemplate: template } },
        clients.callOptions,
      ),
    );
    changed = true;
  }
  if (!sameSet(((live.targetPools as string[]) ?? []).map(lastSegment), pools.map(lastSegment))) {
    await run(ctx, `Setting the target pools of ${name} back to [${pools.map(lastSegment).join(', ')}]`, () =>
      clients.zonalGroups.setTargetPools(
        { project, zone, instanceGroupManager: name, instanceGroupManagersSetTargetPoolsRequestResource: { targetPools: pools } },
        clients.callOptions,
      ),
    );
    changed = true;
  }
  if (typeof group.target_size === 'number' && live.targetSize !== group.target_size) {
    await run(ctx, `Resizing ${name} from ${live.targetSize ?? 0} back to ${group.target_size}`, () =>
      clients.zonalGroups.resize({ project, zone, instanceGroupManager: name, size: group.target_size }, clients.callOptions),
    );
    changed = true;
  }
  (changed ? report.updated : report.unchanged).push(`server group ${name}`);
  if (changed) report.serverGroups.push({ region, name });
}

function policyOf(snapshot: any): Record<string, unknown> {
  const p = snapshot.autoscaling_policy ?? {};
  const types = Object.fromEntries(Object.entries(METRIC_TYPES).map(([gce, tf]) => [tf, gce]));
  return {
    minNumReplicas: p.min_replicas,
    maxNumReplicas: p.max_replicas,
    ...(p.cooldown_period ? { coolDownPeriodSec: p.cooldown_period } : {}),
    ...(p.cpu_utilization
      ? {
          cpuUtilization: {
            utilizationTarget: p.cpu_utilization.target,
            ...(p.cpu_utilization.predictive_method ? { predictiveMethod: String(p.cpu_utilization.predictive_method).toUpperCase() } : {}),
          },
        }
      : {}),
    ...(p.load_balancing_utilization ? { loadBalancingUtilization: { utilizationTarget: p.load_balancing_utilization.target } } : {}),
    ...(p.metric?.length
      ? {
          customMetricUtilizations: (p.metric as any[]).map((m) => ({
            metric: m.name,
            utilizationTarget: m.target,
            utilizationTargetType: types[m.type] ?? 'GAUGE',
            ...(m.filter ? { filter: m.filter } : {}),
          })),
        }
      : {}),
  };
}

async function restoreAutoscaler(ctx: Ctx, autoscaler: any): Promise<void> {
  const { clients, project, report } = ctx;
  const name = String(autoscaler.name);
  const zone = String(autoscaler.zone);
  const target = linkOf(ctx, autoscaler.target, TF.group);
  const policy = policyOf(autoscaler);
  const live = toPlain(await clients.autoscalers.get({ project, zone, autoscaler: name }, clients.callOptions).then(([a]) => a, orUndefinedOn404));
  const group = { region: zone.replace(/-[a-z]$/, ''), name: lastSegment(target) };
  if (!live) {
    await run(ctx, `Creating autoscaler ${name} (${String(policy.minNumReplicas)}-${String(policy.maxNumReplicas)} instances)`, () =>
      clients.autoscalers.insert({ project, zone, autoscalerResource: { name, target, autoscalingPolicy: policy } }, clients.callOptions),
    );
    report.created.push(`autoscaler ${name}`);
  } else {
    const livePolicy = live.autoscalingPolicy ?? {};
    const same =
      livePolicy.minNumReplicas === policy.minNumReplicas &&
      livePolicy.maxNumReplicas === policy.maxNumReplicas &&
      (livePolicy.cpuUtilization?.utilizationTarget ?? undefined) === (policy.cpuUtilization as any)?.utilizationTarget;
    if (same) return void report.unchanged.push(`autoscaler ${name}`);
    await run(ctx, `Updating autoscaler ${name} to the snapshot's policy`, () =>
      clients.autoscalers.patch({ project, zone, autoscaler: name, autoscalerResource: { name, autoscalingPolicy: policy } }, clients.callOptions),
    );
    report.updated.push(`autoscaler ${name}`);
  }
  if (!report.serverGroups.some((g) => g.name === group.name)) report.serverGroups.push(group);
}
