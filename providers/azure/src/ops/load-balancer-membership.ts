/* eslint-disable @typescript-eslint/no-explicit-any -- ARM JSON (toPlain of an @azure/arm-* model, or the model itself) read field by field; a typed Plain<T> is left for the provider kit (issue 17) */
import type { OperationTask } from '@stratus/plugin-api';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { azureCall } from '../azure-errors.js';
import type { FrontendKind } from '../caching/server-group-data.js';
import { lastSegment, resourceGroupOf } from '../plain.js';

/** The pool rules point at while no server group takes traffic (the name Clouddriver gives it). */
export const DEFAULT_POOL = 'default_LB_BAP';

/** An Azure load balancer or application gateway (SDK model) a server group sits behind. */
export interface TrafficTarget {
  readonly kind: FrontendKind;
  readonly resource: any;
}

const KIND_LABEL: Record<FrontendKind, string> = { loadBalancer: 'load balancer', applicationGateway: 'application gateway' };
/** Where each kind keeps the rules that pick a backend pool. */
const RULES: Record<FrontendKind, string> = { loadBalancer: 'loadBalancingRules', applicationGateway: 'requestRoutingRules' };

const poolId = (target: TrafficTarget, pool: string) => `${target.resource.id}/backendAddressPools/${pool}`;
const label = (target: TrafficTarget) => `${KIND_LABEL[target.kind]} ${target.resource.name}`;

async function save(clients: AzureAccountClients, target: TrafficTarget, resource: any, what: string, signal?: AbortSignal): Promise<void> {
  const options = { ...clients.pollOptions, ...(signal ? { abortSignal: signal } : {}) };
  const group = resourceGroupOf(resource.id);
  await azureCall(`${what} on ${label(target)}`, () =>
    target.kind === 'loadBalancer'
      ? clients.network.loadBalancers.beginCreateOrUpdateAndWait(group, resource.name, resource, options)
      : clients.network.applicationGateways.beginCreateOrUpdateAndWait(group, resource.name, resource, options),
  );
}

/** Adds a backend pool named after the server group (if missing); returns its id for the scale set's NIC. */
export async function ensurePool(
  clients: AzureAccountClients,
  target: TrafficTarget,
  pool: string,
  task: OperationTask,
  phase: string,
  signal?: AbortSignal,
): Promise<string> {
  const pools: any[] = target.resource.backendAddressPools ?? [];
  if (!pools.some((p) => p.name === pool)) {
    await task.updateStatus(phase, `Adding backend pool ${pool} to ${label(target)}`);
    await save(clients, target, { ...target.resource, backendAddressPools: [...pools, { name: pool }] }, `Adding backend pool ${pool}`, signal);
  }
  return poolId(target, pool);
}

/** Points every rule at the server group's pool: it takes the traffic (enable). */
export async function routeRulesTo(
  clients: AzureAccountClients,
  target: TrafficTarget,
  pool: string,
  task: OperationTask,
  phase: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const key = RULES[target.kind];
  const rules: any[] = target.resource[key] ?? [];
  if (rules.length === 0) {
    await task.updateStatus(phase, `${label(target)} has no rules; nothing to route`);
    return false;
  }
  const id = poolId(target, pool);
  await task.updateStatus(phase, `Routing ${rules.map((r) => r.name).join(', ')} of ${label(target)} to backend pool ${pool}`);
  await save(clients, target, { ...target.resource, [key]: rules.map((r) => ({ ...r, backendAddressPool: { id } })) }, `Routing rules to ${pool}`, signal);
  return true;
}

/**
 * Points the rules that target the server group's pool at the default pool (disable), or with
 * `removePool` also drops the pool (destroy). Returns whether anything changed.
 */
export async function routeRulesAway(
  clients: AzureAccountClients,
  target: TrafficTarget,
  pool: string,
  task: OperationTask,
  phase: string,
  options: { removePool?: boolean; signal?: AbortSignal } = {},
): Promise<boolean> {
  const key = RULES[target.kind];
  const rules: any[] = target.resource[key] ?? [];
  const pools: any[] = target.resource.backendAddressPools ?? [];
  const targeting = rules.filter((r) => lastSegment(r.backendAddressPool?.id) === pool);
  const hasPool = pools.some((p) => p.name === pool);
  if (targeting.length === 0 && !(options.removePool && hasPool)) return false;
  let nextPools = options.removePool ? pools.filter((p) => p.name !== pool) : pools;
  if (targeting.length > 0 && !nextPools.some((p) => p.name === DEFAULT_POOL)) nextPools = [...nextPools, { name: DEFAULT_POOL }];
  if (targeting.length > 0)
    await task.updateStatus(phase, `Routing ${targeting.map((r) => r.name).join(', ')} of ${label(target)} away from backend pool ${pool}`);
  if (options.removePool && hasPool) await task.updateStatus(phase, `Removing backend pool ${pool} from ${label(target)}`);
  const defaultId = poolId(target, DEFAULT_POOL);
  const nextRules = rules.map((r) => (lastSegment(r.backendAddressPool?.id) === pool ? { ...r, backendAddressPool: { id: defaultId } } : r));
  await save(clients, target, { ...target.resource, backendAddressPools: nextPools, [key]: nextRules }, `Detaching backend pool ${pool}`, options.signal);
  return true;
}
