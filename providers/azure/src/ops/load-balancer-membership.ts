import type { ApplicationGateway, LoadBalancer, SubResource } from '@azure/arm-network';
import type { OperationTask } from '@stratus/plugin-api';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { azureCall } from '../azure-errors.js';
import { lastSegment, resourceGroupOf } from '../plain.js';

/** The pool rules point at while no server group takes traffic (the name Clouddriver gives it). */
export const DEFAULT_POOL = 'default_LB_BAP';

/** An Azure load balancer or application gateway (SDK model, found by name) a server group sits behind. */
export type TrafficTarget =
  | { readonly kind: 'loadBalancer'; readonly resource: LoadBalancer & { name: string } }
  | { readonly kind: 'applicationGateway'; readonly resource: ApplicationGateway & { name: string } };

/** What both kinds' rules have: a name and the backend pool they send to. */
interface PoolRule {
  name?: string;
  backendAddressPool?: SubResource;
}

const KIND_LABEL: Record<TrafficTarget['kind'], string> = { loadBalancer: 'load balancer', applicationGateway: 'application gateway' };

const poolId = (target: TrafficTarget, pool: string) => `${target.resource.id}/backendAddressPools/${pool}`;
const label = (target: TrafficTarget) => `${KIND_LABEL[target.kind]} ${target.resource.name}`;

/** The rules that pick a backend pool: load balancing rules, or an application gateway's request routing rules. */
function rulesOf(target: TrafficTarget): PoolRule[] {
  return (target.kind === 'loadBalancer' ? target.resource.loadBalancingRules : target.resource.requestRoutingRules) ?? [];
}

/** The target with its rules re-pointed by `repoint` and, when given, its backend pools replaced. */
function changed(target: TrafficTarget, repoint: <R extends PoolRule>(rule: R) => R, pools?: { name?: string }[]): TrafficTarget {
  const backendAddressPools = pools ?? target.resource.backendAddressPools ?? [];
  return target.kind === 'loadBalancer'
    ? { kind: target.kind, resource: { ...target.resource, backendAddressPools, loadBalancingRules: (target.resource.loadBalancingRules ?? []).map(repoint) } }
    : {
        kind: target.kind,
        resource: { ...target.resource, backendAddressPools, requestRoutingRules: (target.resource.requestRoutingRules ?? []).map(repoint) },
      };
}

async function save(clients: AzureAccountClients, next: TrafficTarget, what: string, signal?: AbortSignal): Promise<void> {
  const options = { ...clients.pollOptions, ...(signal ? { abortSignal: signal } : {}) };
  const group = resourceGroupOf(next.resource.id);
  await azureCall(`${what} on ${label(next)}`, () =>
    next.kind === 'loadBalancer'
      ? clients.network.loadBalancers.beginCreateOrUpdateAndWait(group, next.resource.name, next.resource, options)
      : clients.network.applicationGateways.beginCreateOrUpdateAndWait(group, next.resource.name, next.resource, options),
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
  const pools = target.resource.backendAddressPools ?? [];
  if (!pools.some((p) => p.name === pool)) {
    await task.updateStatus(phase, `Adding backend pool ${pool} to ${label(target)}`);
    await save(
      clients,
      changed(target, (r) => r, [...pools, { name: pool }]),
      `Adding backend pool ${pool}`,
      signal,
    );
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
  const rules = rulesOf(target);
  if (rules.length === 0) {
    await task.updateStatus(phase, `${label(target)} has no rules; nothing to route`);
    return false;
  }
  const id = poolId(target, pool);
  await task.updateStatus(phase, `Routing ${rules.map((r) => r.name).join(', ')} of ${label(target)} to backend pool ${pool}`);
  await save(
    clients,
    changed(target, (r) => ({ ...r, backendAddressPool: { id } })),
    `Routing rules to ${pool}`,
    signal,
  );
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
  const rules = rulesOf(target);
  const pools = target.resource.backendAddressPools ?? [];
  const targeting = rules.filter((r) => lastSegment(r.backendAddressPool?.id) === pool);
  const hasPool = pools.some((p) => p.name === pool);
  if (targeting.length === 0 && !(options.removePool && hasPool)) return false;
  let nextPools = options.removePool ? pools.filter((p) => p.name !== pool) : pools;
  if (targeting.length > 0 && !nextPools.some((p) => p.name === DEFAULT_POOL)) nextPools = [...nextPools, { name: DEFAULT_POOL }];
  if (targeting.length > 0)
    await task.updateStatus(phase, `Routing ${targeting.map((r) => r.name).join(', ')} of ${label(target)} away from backend pool ${pool}`);
  if (options.removePool && hasPool) await task.updateStatus(phase, `Removing backend pool ${pool} from ${label(target)}`);
  const defaultId = poolId(target, DEFAULT_POOL);
  const repoint = <R extends PoolRule>(r: R): R => (lastSegment(r.backendAddressPool?.id) === pool ? { ...r, backendAddressPool: { id: defaultId } } : r);
  await save(clients, changed(target, repoint, nextPools), `Detaching backend pool ${pool}`, options.signal);
  return true;
}
