import type { OperationTask } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { BACKEND_SERVICE_NAMES, LOAD_BALANCER_NAMES } from '../caching/server-group-data.js';
import { clusterName } from '@stratus/plugin-api';
import { awaitOperation, gceCall } from '../operations.js';
import type { DeployTarget } from '@stratus/provider-kit';
import { toPlain, named } from '../plain.js';
import { insertAutoscaler, type AutoscalingPolicy } from './autoscaler.js';
import { backendServices, nextServerGroupName, targetPoolsOf, type LiveIgm } from './live-lookups.js';

export const DEPLOY_PHASE = 'DEPLOY';

/** Everything needed to create one server group, the image already resolved to a URL. */
export interface DeploySpec extends DeployTarget<GceAccount> {
  /** The zone of a zonal group; absent when `regional`. */
  readonly zone?: string;
  readonly regional: boolean;
  /** Zones a regional group spreads over (all of the region's when empty). */
  readonly distributionZones: readonly string[];
  readonly targetSize: number;
  readonly instanceType: string;
  readonly image: string;
  readonly diskSizeGb?: number;
  readonly diskType?: string;
  readonly network: string;
  readonly subnet?: string;
  readonly tags: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  /** Network load balancers (regional forwarding rule names) to put the group behind. */
  readonly loadBalancers: readonly string[];
  /** Global backend services to add the group's instance group to. */
  readonly backendServices: readonly string[];
  readonly associatePublicIpAddress: boolean;
  readonly serviceAccountEmail?: string;
  readonly authScopes?: readonly string[];
  readonly canIpForward?: boolean;
  /** An autoscaler to attach, named like the group. */
  readonly autoscalingPolicy?: AutoscalingPolicy;
}

/**
 * Creates the instance template and the managed instance group (awaiting each long-running
 * operation), then adds the group to its backend services; returns the server group name. The
 * template is deleted again when the group cannot be created.
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export async function deployServerGroup(clients: GceAccountClients, spec: DeploySpec, task: OperationTask, signal?: AbortSignal): Promise<string> {
  const { account, region } = spec;
  const project = account.project;
  const cluster = clusterName(spec.application, spec.stack, spec.freeFormDetails);
  await task.updateStatus(DEPLOY_PHASE, `Looking up the next server group name for cluster ${cluster} in ${region}`);
  const name = await gceCall('Listing managed instance groups', () => nextServerGroupName(clients, account, region, cluster));
  const targetPools = spec.loadBalancers.length > 0 ? await targetPoolsOf(clients, account, region, spec.loadBalancers) : [];

  const templateName = `${name}-${Date.now().toString(36)}`.slice(0, 63);
  const metadata: Record<string, string> = { ...spec.metadata };
  if (spec.loadBalancers.length > 0) metadata[LOAD_BALANCER_NAMES] = spec.loadBalancers.join(',');
  if (spec.backendServices.length > 0) metadata[BACKEND_SERVICE_NAMES] = spec.backendServices.join(',');
  await task.updateStatus(
    DEPLOY_PHASE,
    `Creating instance template ${templateName} (${spec.instanceType}, ${spec.image.slice(spec.image.lastIndexOf('/') + 1)})`,
  );
  const templateOp = await awaitOperation(
    clients,
    await gceCall(`Creating instance template ${templateName}`, () =>
      clients.instanceTemplates.insert(
        {
          project,
          instanceTemplateResource: {
            name: templateName,
            properties: {
              machineType: spec.instanceType,
              canIpForward: spec.canIpForward ?? false,
              disks: [
                {
                  boot: true,
                  autoDelete: true,
                  type: 'PERSISTENT',
                  initializeParams: {
                    sourceImage: spec.image,
                    ...(spec.diskSizeGb ? { diskSizeGb: String(spec.diskSizeGb) } : {}),
                    ...(spec.diskType ? { diskType: spec.diskType } : {}),
                  },
                },
              ],
              networkInterfaces: [
                {
                  network: `projects/${project}/global/networks/${spec.network}`,
                  ...(spec.subnet ? { subnetwork: `projects/${project}/regions/${region}/subnetworks/${spec.subnet}` } : {}),
                  ...(spec.associatePublicIpAddress ? { accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] } : {}),
                },
              ],
              tags: { items: [...spec.tags] },
              labels: { ...spec.labels, 'spinnaker-region': region, 'spinnaker-server-group': name },
              metadata: { items: Object.entries(metadata).map(([key, value]) => ({ key, value })) },
              ...(spec.serviceAccountEmail ? { serviceAccounts: [{ email: spec.serviceAccountEmail, scopes: [...(spec.authScopes ?? [])] }] } : {}),
            },
          },
        },
        clients.callOptions,
      ),
    ),
    { ...(signal ? { signal } : {}) },
  );
  const templateLink = templateOp.targetLink ?? `projects/${project}/global/instanceTemplates/${templateName}`;

  const where = spec.regional ? `region ${region}` : `zone ${spec.zone}`;
  await task.updateStatus(
    DEPLOY_PHASE,
    `Creating ${spec.regional ? 'regional' : 'zonal'} managed instance group ${name} in ${where} with target size ${spec.targetSize}`,
  );
  const resource = {
    name,
    baseInstanceName: name,
    instanceTemplate: templateLink,
    targetSize: spec.targetSize,
    targetPools,
    description: `Created by Stratus for cluster ${cluster}`,
  };
  try {
    const started = await gceCall(`Creating managed instance group ${name}`, () =>
      spec.regional
        ? clients.regionalGroups.insert(
            {
              project,
              region,
              instanceGroupManagerResource: {
                ...resource,
                ...(spec.distributionZones.length > 0
                  ? { distributionPolicy: { zones: spec.distributionZones.map((z) => ({ zone: `projects/${project}/zones/${z}` })) } }
                  : {}),
              },
            },
            clients.callOptions,
          )
        : clients.zonalGroups.insert({ project, zone: spec.zone!, instanceGroupManagerResource: resource }, clients.callOptions),
    );
    await awaitOperation(clients, started, { ...(signal ? { signal } : {}) });
  } catch (error) {
    await task.updateStatus(DEPLOY_PHASE, `Creating ${name} failed; deleting instance template ${templateName}`);
    await clients.instanceTemplates
      .delete({ project, instanceTemplate: templateName }, clients.callOptions)
      .then((op) => awaitOperation(clients, op))
      .catch(() => undefined);
    throw error;
  }
  if (targetPools.length > 0) await task.updateStatus(DEPLOY_PHASE, `Added ${name} to load balancer(s) ${spec.loadBalancers.join(', ')}`);
  if (spec.backendServices.length > 0 || spec.autoscalingPolicy) {
    const [igm] = await gceCall(`Reading ${name}`, () =>
      spec.regional
        ? clients.regionalGroups.get({ project, region, instanceGroupManager: name }, clients.callOptions)
        : clients.zonalGroups.get({ project, zone: spec.zone!, instanceGroupManager: name }, clients.callOptions),
    );
    if (spec.autoscalingPolicy) {
      const p = spec.autoscalingPolicy;
      await task.updateStatus(DEPLOY_PHASE, `Creating autoscaler ${name} (${p.minNumReplicas ?? 1}–${p.maxNumReplicas} instances)`);
      await insertAutoscaler(clients, { igm: igm as LiveIgm, region, ...(spec.regional ? {} : { zone: spec.zone! }) }, p, signal);
    }
    if (spec.backendServices.length > 0) await addToBackendServices(clients, account, spec.backendServices, igm.instanceGroup!, task, DEPLOY_PHASE, signal);
  }
  await task.updateStatus(DEPLOY_PHASE, `Deployed ${name} in ${where}`);
  return name;
}

/** Adds an instance group as a backend of each named backend service that lacks it. */
export async function addToBackendServices(
  clients: GceAccountClients,
  account: GceAccount,
  names: readonly string[],
  instanceGroup: string,
  task: OperationTask,
  phase: string,
  signal?: AbortSignal,
): Promise<void> {
  const all = await gceCall('Listing backend services', () => backendServices(clients, account));
  for (const name of names) {
    const service = all.find((s) => s.name === name);
    if (!service) throw new Error(`Backend service '${name}' not found in ${account.name}`);
    const backends = (service.backends ?? []).map((b) => ({ group: b.group ?? null, balancingMode: b.balancingMode ?? 'UTILIZATION' }));
    if (backends.some((b) => sameGroup(b.group, instanceGroup))) continue;
    await task.updateStatus(phase, `Adding ${instanceGroup.slice(instanceGroup.lastIndexOf('/') + 1)} to backend service ${name}`);
    const op = await gceCall(`Updating backend service ${name}`, () =>
      clients.backendServices.patch(
        {
          project: account.project,
          backendService: name,
          backendServiceResource: { backends: [...backends, { group: instanceGroup, balancingMode: 'UTILIZATION' }] },
        },
        clients.callOptions,
      ),
    );
    await awaitOperation(clients, op, { ...(signal ? { signal } : {}) });
  }
}

/** Removes an instance group from every backend service that has it; returns the services changed. */
export async function removeFromBackendServices(
  clients: GceAccountClients,
  account: GceAccount,
  instanceGroup: string,
  task: OperationTask,
  phase: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const changed: string[] = [];
  for (const service of (await gceCall('Listing backend services', () => backendServices(clients, account))).filter(named)) {
    const backends = (service.backends ?? []).map((b) => ({ group: b.group ?? null, balancingMode: b.balancingMode ?? 'UTILIZATION' }));
    const kept = backends.filter((b) => !sameGroup(b.group, instanceGroup));
    if (kept.length === backends.length) continue;
    await task.updateStatus(phase, `Removing ${instanceGroup.slice(instanceGroup.lastIndexOf('/') + 1)} from backend service ${service.name}`);
    // A full update, not a patch: the SDK leaves empty lists out of the JSON, so a patch could never remove the last backend.
    const op = await gceCall(`Updating backend service ${service.name}`, () =>
      clients.backendServices.update(
        { project: account.project, backendService: service.name, backendServiceResource: { ...toPlain(service), backends: kept } },
        clients.callOptions,
      ),
    );
    await awaitOperation(clients, op, { ...(signal ? { signal } : {}) });
    changed.push(service.name);
  }
  return changed;
}

/** Whether two instance group links name the same group (full URLs or `projects/…` paths). */
function sameGroup(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const tail = (link: string) => link.slice(link.indexOf('projects/'));
  return tail(a) === tail(b);
}
