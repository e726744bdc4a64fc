import type { OperationDefinition } from '@stratus/plugin-api';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { BACKEND_SERVICE_NAMES, LOAD_BALANCER_NAMES } from '../caching/server-group-data.js';
import {
  serverGroupDescriptionOf,
  serverGroupStepOperation,
  resizeStepSpec,
  type ServerGroupDescription as BaseDescription,
  type StepContext,
  type StepOperationSpec,
} from '@stratus/provider-kit';
import { Types } from '../keys.js';
import { awaitOperation, gceCall } from '../operations.js';
import { csv, lastSegment, metadataMap } from '../plain.js';
import { deleteAutoscaler, findAutoscaler, patchAutoscaler } from './autoscaler.js';
import { addToBackendServices, removeFromBackendServices } from './deploy-handler.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { desiredSizeOf, validateSize, validateZone } from './description.js';
import { requireGroup, targetPoolsOf, type LiveGroup } from './live-lookups.js';

/** A description naming one server group: `credentials`, `serverGroupName`, `region` and optionally `zone`. */
export interface ServerGroupDescription extends BaseDescription {
  readonly zone?: string;
}

export interface ServerGroupStep extends StepContext<ServerGroupDescription> {
  readonly account: GceAccount;
  readonly clients: GceAccountClients;
  readonly group: LiveGroup;
}

/** `act` returns the cache keys it deleted outright, by type. */
type ServerGroupOperationSpec = StepOperationSpec<ServerGroupStep, Record<string, string[]> | void>;

/** `zone`, else the single entry of `zones` (Orca sends either for zonal groups). */
function zoneOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.zone === 'string' && input.zone !== '') return input.zone;
  if (Array.isArray(input.zones) && input.zones.length === 1 && typeof input.zones[0] === 'string') return input.zones[0];
  return undefined;
}

/** The standard fields plus the zone of a zonal group; the region defaults to the zone's. */
function describeServerGroup(input: Record<string, unknown>): ServerGroupDescription {
  const zone = zoneOf(input);
  const base = serverGroupDescriptionOf(input);
  return { ...base, region: base.region || (zone ? zone.slice(0, zone.lastIndexOf('-')) : ''), ...(zone ? { zone } : {}) };
}

/** Builds an operation that finds the named group live, acts on it and refreshes it in the cache. */
export function serverGroupOperation(deps: GceOperationDeps, spec: ServerGroupOperationSpec): OperationDefinition<ServerGroupDescription> {
  return serverGroupStepOperation(
    {
      cloudLabel: 'GCE',
      accounts: deps.accounts,
      clients: deps.clients,
      describe: describeServerGroup,
      validate: (d, errors) => validateZone(errors, d.zone, d.region),
      step: async (base) => {
        const { account, clients, description } = base;
        return { ...base, group: await requireGroup(clients, account, description.region, description.serverGroupName, description.zone) };
      },
      async refresh(account, { region, serverGroupName }, deleted) {
        // Instances and target pool membership first: the server group view is built from them.
        await deps.refresher.agent(account.name, 'global', 'GoogleInstanceCachingAgent', deleted ?? {});
        await deps.refresher.agent(account.name, region, 'GoogleNetworkLoadBalancerCachingAgent');
        await deps.refresher.serverGroup(account.name, region, serverGroupName);
      },
    },
    spec,
  );
}

/** Waits for a MIG mutation of a zonal or regional group. */
async function mutateGroup(step: ServerGroupStep, what: string, zonal: () => Promise<unknown>, regional: () => Promise<unknown>): Promise<void> {
  const started = await gceCall(what, () => (step.group.zone ? zonal() : regional()));
  await awaitOperation(step.clients, started, { signal: step.signal });
}

/** `{project, zone | region, instanceGroupManager}` of the step's group (only one of zone and region is used). */
const location = (step: ServerGroupStep): { project: string; zone?: string; region?: string; instanceGroupManager: string } => ({
  project: step.account.project,
  ...(step.group.zone ? { zone: step.group.zone } : { region: step.group.region }),
  instanceGroupManager: step.group.igm.name as string,
});

export function resizeServerGroupOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(
    deps,
    resizeStepSpec({ validate: validateSize, desired: desiredSizeOf }, async (step: ServerGroupStep, size) => {
      const capacity = step.description.input.capacity as { min?: number; max?: number } | undefined;
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler && (capacity?.min !== undefined || capacity?.max !== undefined)) {
        // An autoscaler would undo a plain resize outside its bounds: move the bounds (as Clouddriver does).
        const policy = {
          ...(capacity.min !== undefined ? { minNumReplicas: capacity.min } : {}),
          ...(capacity.max !== undefined ? { maxNumReplicas: capacity.max } : {}),
        };
        await step.task.updateStatus(
          'RESIZE',
          `Setting autoscaler ${autoscaler.name} to ${policy.minNumReplicas ?? autoscaler.autoscalingPolicy?.minNumReplicas}–${policy.maxNumReplicas ?? autoscaler.autoscalingPolicy?.maxNumReplicas} instances`,
        );
        await patchAutoscaler(step.clients, step.group, autoscaler, policy, step.signal);
      }
      await step.task.updateStatus('RESIZE', `Resizing ${step.description.serverGroupName} from ${step.group.igm.targetSize} to ${size} instances`);
      const where = location(step);
      await mutateGroup(
        step,
        `Resizing ${where.instanceGroupManager}`,
        () => step.clients.zonalGroups.resize({ ...where, zone: where.zone!, size }, step.clients.callOptions),
        () => step.clients.regionalGroups.resize({ ...where, region: where.region!, size }, step.clients.callOptions),
      );
    }),
  );
}

/** The load balancer and backend service names the group's instance template records. */
async function loadBalancingOf(step: ServerGroupStep): Promise<{ loadBalancers: string[]; backendServices: string[] }> {
  const templateName = lastSegment(step.group.igm.instanceTemplate);
  const [template] = await gceCall(`Reading instance template ${templateName}`, () =>
    step.clients.instanceTemplates.get({ project: step.account.project, instanceTemplate: templateName }, step.clients.callOptions),
  );
  const metadata = metadataMap(template.properties?.metadata);
  return { loadBalancers: csv(metadata[LOAD_BALANCER_NAMES]), backendServices: csv(metadata[BACKEND_SERVICE_NAMES]) };
}

async function setTargetPools(step: ServerGroupStep, targetPools: string[]): Promise<void> {
  const where = location(step);
  await mutateGroup(
    step,
    `Setting the target pools of ${where.instanceGroupManager}`,
    () =>
      step.clients.zonalGroups.setTargetPools(
        { ...where, zone: where.zone!, instanceGroupManagersSetTargetPoolsRequestResource: { targetPools } },
        step.clients.callOptions,
      ),
    () =>
      step.clients.regionalGroups.setTargetPools(
        { ...where, region: where.region!, regionInstanceGroupManagersSetTargetPoolsRequestResource: { targetPools } },
        step.clients.callOptions,
      ),
  );
}

/**
 * Disable: take the group out of its target pools and backend services, so it serves no traffic
 * (Clouddriver's `DisableGoogleServerGroupAtomicOperation`); the names stay in the template metadata
 * for enable to restore.
 */
export function disableServerGroupOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'disableServerGroup',
    phase: 'DISABLE_SERVER_GROUP',
    async act(step) {
      const pools: string[] = step.group.igm.targetPools ?? [];
      if (pools.length > 0) {
        await step.task.updateStatus(
          'DISABLE_SERVER_GROUP',
          `Removing ${step.description.serverGroupName} from target pool(s) ${pools.map(lastSegment).join(', ')}`,
        );
        await setTargetPools(step, []);
      }
      const removed = await removeFromBackendServices(step.clients, step.account, step.group.igm.instanceGroup, step.task, 'DISABLE_SERVER_GROUP', step.signal);
      if (pools.length === 0 && removed.length === 0)
        await step.task.updateStatus('DISABLE_SERVER_GROUP', `${step.description.serverGroupName} is behind no load balancer; nothing to detach`);
      // A disabled group must not scale on its own (Clouddriver turns the autoscaler off too).
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler && autoscaler.autoscalingPolicy?.mode !== 'OFF') {
        await step.task.updateStatus('DISABLE_SERVER_GROUP', `Turning autoscaler ${autoscaler.name} off`);
        await patchAutoscaler(step.clients, step.group, autoscaler, { mode: 'OFF' }, step.signal);
      }
    },
  });
}

/** Enable: put the group back behind the load balancers and backend services its template names. */
export function enableServerGroupOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'enableServerGroup',
    phase: 'ENABLE_SERVER_GROUP',
    async act(step) {
      const { loadBalancers, backendServices } = await loadBalancingOf(step);
      if (loadBalancers.length > 0) {
        await step.task.updateStatus('ENABLE_SERVER_GROUP', `Adding ${step.description.serverGroupName} to load balancer(s) ${loadBalancers.join(', ')}`);
        await setTargetPools(step, await targetPoolsOf(step.clients, step.account, step.group.region, loadBalancers));
      }
      if (backendServices.length > 0)
        await addToBackendServices(step.clients, step.account, backendServices, step.group.igm.instanceGroup, step.task, 'ENABLE_SERVER_GROUP', step.signal);
      if (loadBalancers.length === 0 && backendServices.length === 0)
        await step.task.updateStatus('ENABLE_SERVER_GROUP', `${step.description.serverGroupName} names no load balancer; nothing to attach`);
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler && autoscaler.autoscalingPolicy?.mode === 'OFF') {
        await step.task.updateStatus('ENABLE_SERVER_GROUP', `Turning autoscaler ${autoscaler.name} on`);
        await patchAutoscaler(step.clients, step.group, autoscaler, { mode: 'ON' }, step.signal);
      }
    },
  });
}

/** Destroy: leave the backend services, delete the autoscaler and the MIG (and its instances), then its instance template. */
export function destroyServerGroupOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'destroyServerGroup',
    phase: 'DESTROY_SERVER_GROUP',
    async act(step) {
      const name = step.description.serverGroupName;
      await removeFromBackendServices(step.clients, step.account, step.group.igm.instanceGroup, step.task, 'DESTROY_SERVER_GROUP', step.signal);
      // GCE refuses to delete a group an autoscaler still targets.
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler) {
        await step.task.updateStatus('DESTROY_SERVER_GROUP', `Deleting autoscaler ${autoscaler.name}`);
        await deleteAutoscaler(step.clients, step.group, autoscaler, step.signal);
      }
      const instances = await deps.cache.filterIdentifiers(
        Types.instances,
        `gce:instances:${step.account.name}:${step.group.region}:${step.group.igm.baseInstanceName ?? name}-*`,
      );
      await step.task.updateStatus(
        'DESTROY_SERVER_GROUP',
        `Deleting managed instance group ${name}${step.group.zone ? ` in ${step.group.zone}` : ` in ${step.group.region}`}`,
      );
      const where = location(step);
      await mutateGroup(
        step,
        `Deleting ${name}`,
        () => step.clients.zonalGroups.delete({ ...where, zone: where.zone! }, step.clients.callOptions),
        () => step.clients.regionalGroups.delete({ ...where, region: where.region! }, step.clients.callOptions),
      );
      const templateName = lastSegment(step.group.igm.instanceTemplate);
      await step.task.updateStatus('DESTROY_SERVER_GROUP', `Deleting instance template ${templateName}`);
      try {
        const op = await gceCall(`Deleting instance template ${templateName}`, () =>
          step.clients.instanceTemplates.delete({ project: step.account.project, instanceTemplate: templateName }, step.clients.callOptions),
        );
        await awaitOperation(step.clients, op, { signal: step.signal });
      } catch (error) {
        // Another group may still use the template; the group itself is gone, which is what was asked.
        await step.task.updateStatus('DESTROY_SERVER_GROUP', `Kept instance template ${templateName}: ${(error as Error).message}`);
      }
      return { [Types.instances]: instances };
    },
  });
}

/** The operations on an existing server group, in the order the provider registers them. */
export function serverGroupOperations(deps: GceOperationDeps): OperationDefinition[] {
  return [resizeServerGroupOperation(deps), enableServerGroupOperation(deps), disableServerGroupOperation(deps), destroyServerGroupOperation(deps)];
}
