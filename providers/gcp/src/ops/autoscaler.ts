import type { Autoscaler } from '../compute-types.js';
import type { ValidationErrors } from '@stratus/plugin-api';
import type { GceAccountClients } from '../accounts/gce-clients.js';
import { collect } from '../caching/gce-agent.js';
import { groupPath } from '../caching/server-group-data.js';
import { awaitOperation, gceCall } from '../operations.js';
import { isNonNegativeInt } from './description.js';
import type { LiveGroup } from './live-lookups.js';

/** The autoscaling policy fields a description may carry (compute/v1 `AutoscalingPolicy`, trimmed). */
export interface AutoscalingPolicy {
  readonly minNumReplicas?: number;
  readonly maxNumReplicas?: number;
  readonly coolDownPeriodSec?: number;
  readonly mode?: string;
  readonly cpuUtilization?: { readonly utilizationTarget?: number };
}

const MODES = new Set(['ON', 'OFF', 'ONLY_SCALE_OUT']);

/** Checks an optional `autoscalingPolicy`, naming each bad field. */
export function validateAutoscalingPolicy(errors: ValidationErrors, value: unknown, field = 'autoscalingPolicy'): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.reject(field, 'invalid', `${field} must be an object {minNumReplicas, maxNumReplicas, …}`);
    return;
  }
  const p = value as Record<string, unknown>;
  for (const k of ['minNumReplicas', 'maxNumReplicas', 'coolDownPeriodSec']) {
    if (p[k] !== undefined && !isNonNegativeInt(p[k])) errors.reject(`${field}.${k}`, 'invalid', `${field}.${k} must be a non-negative integer`);
  }
  if (p.maxNumReplicas === undefined) errors.reject(`${field}.maxNumReplicas`, 'empty', `${field}.maxNumReplicas is required`);
  if (isNonNegativeInt(p.minNumReplicas) && isNonNegativeInt(p.maxNumReplicas) && p.minNumReplicas > p.maxNumReplicas) {
    errors.reject(field, 'invalid', `${field} must satisfy minNumReplicas <= maxNumReplicas`);
  }
  if (p.mode !== undefined && (typeof p.mode !== 'string' || !MODES.has(p.mode)))
    errors.reject(`${field}.mode`, 'invalid', `${field}.mode must be ON, OFF or ONLY_SCALE_OUT`);
  const target = (p.cpuUtilization as Record<string, unknown> | undefined)?.utilizationTarget;
  if (target !== undefined && (typeof target !== 'number' || !(target > 0 && target <= 1))) {
    errors.reject(`${field}.cpuUtilization.utilizationTarget`, 'invalid', `${field}.cpuUtilization.utilizationTarget must be a number in (0, 1]`);
  }
}

/** The autoscaler attached to a group (autoscalers name their group in `target`), if any. */
export async function findAutoscaler(clients: GceAccountClients, group: LiveGroup): Promise<Autoscaler | undefined> {
  const project = clients.project;
  const options = { ...clients.callOptions, autoPaginate: false };
  const list = await gceCall('Listing autoscalers', () =>
    group.zone
      ? collect(clients.autoscalers.listAsync({ project, zone: group.zone }, options))
      : collect(clients.regionAutoscalers.listAsync({ project, region: group.region }, options)),
  );
  const wanted = groupPath(group.igm.selfLink);
  return list.find((a) => groupPath(a.target ?? undefined) === wanted);
}

/** Creates an autoscaler named like the group, targeting it. */
export async function insertAutoscaler(clients: GceAccountClients, group: LiveGroup, policy: AutoscalingPolicy, signal?: AbortSignal): Promise<void> {
  const project = clients.project;
  const autoscalerResource = { name: group.igm.name, target: group.igm.selfLink, autoscalingPolicy: { ...policy } };
  const started = await gceCall(`Creating autoscaler ${group.igm.name}`, () =>
    group.zone
      ? clients.autoscalers.insert({ project, zone: group.zone, autoscalerResource }, clients.callOptions)
      : clients.regionAutoscalers.insert({ project, region: group.region, autoscalerResource }, clients.callOptions),
  );
  await awaitOperation(clients, started, { ...(signal ? { signal } : {}) });
}

/** Patches an autoscaler's policy (nested fields merge). */
export async function patchAutoscaler(
  clients: GceAccountClients,
  group: LiveGroup,
  autoscaler: Autoscaler,
  policy: AutoscalingPolicy,
  signal?: AbortSignal,
): Promise<void> {
  const project = clients.project;
  const name = nameOf(autoscaler);
  const autoscalerResource = { name, autoscalingPolicy: { ...policy } };
  const started = await gceCall(`Updating autoscaler ${name}`, () =>
    group.zone
      ? clients.autoscalers.patch({ project, zone: group.zone, autoscaler: name, autoscalerResource }, clients.callOptions)
      : clients.regionAutoscalers.patch({ project, region: group.region, autoscaler: name, autoscalerResource }, clients.callOptions),
  );
  await awaitOperation(clients, started, { ...(signal ? { signal } : {}) });
}

export async function deleteAutoscaler(clients: GceAccountClients, group: LiveGroup, autoscaler: Autoscaler, signal?: AbortSignal): Promise<void> {
  const project = clients.project;
  const name = nameOf(autoscaler);
  const started = await gceCall(`Deleting autoscaler ${name}`, () =>
    group.zone
      ? clients.autoscalers.delete({ project, zone: group.zone, autoscaler: name }, clients.callOptions)
      : clients.regionAutoscalers.delete({ project, region: group.region, autoscaler: name }, clients.callOptions),
  );
  await awaitOperation(clients, started, { ...(signal ? { signal } : {}) });
}

/** GCE always names an autoscaler it returns; the SDK's type leaves `name` optional. */
function nameOf(autoscaler: Autoscaler): string {
  if (!autoscaler.name) throw new Error('GCE returned an autoscaler without a name');
  return autoscaler.name;
}
