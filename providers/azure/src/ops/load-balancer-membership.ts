import type { OperationTask } from '@stratus/plugin-api';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { azureCall } from '../azure-errors.js';
import { lastSegment, resourceGroupOf } from '../plain.js';

/** The pool rules point at while no server group takes traffic (the name Clouddriver gives it). */
export const DEFAULT_POOL = 'default_LB_BAP';

const poolId = (lb: { id?: string }, pool: string) => `${lb.id}/backendAddressPools/${pool}`;

async function save(clients: AzureAccountClients, lb: any, what: string, signal?: AbortSignal): Promise<void> {
  await azureCall(`${what} on load balancer ${lb.name}`, () =>
    clients.network.loadBalancers.beginCreateOrUpdateAndWait(resourceGroupOf(lb.id), lb.name, lb, { ...clients.pollOptions, ...(signal ? { abortSignal: signal } : {}) }),
  );
}

/** Adds a backend pool named after the server group (if missing); returns its id for the scale set's NIC. */
export async function ensurePool(clients: AzureAccountClients, lb: any, pool: string, task: OperationTask, phase: string, signal?: AbortSignal): Promise<string> {
  const pools: any[] = lb.backendAddressPools ?? [];
  if (!pools.some((p) => p.name === pool)) {
    await task.updateStatus(phase, `Adding backend pool ${pool} to load balancer ${lb.name}`);
    await save(clients, { ...lb, backendAddressPools: [...pools, { name: pool }] }, `Adding backend pool ${pool}`, signal);
  }
  return poolId(lb, pool);
}

/** Points every load balancing rule at the server group's pool: it takes the traffic (enable). */
export async function routeRulesTo(clients: AzureAccountClients, lb: any, pool: string, task: OperationTask, phase: string, signal?: AbortSignal): Promise<boolean> {
  const rules: any[] = lb.loadBalancingRules ?? [];
  if (rules.length === 0) {
    await task.updateStatus(phase, `Load balancer ${lb.name} has no load balancing rules; nothing to route`);
    return false;
  }
  const id = poolId(lb, pool);
  await task.updateStatus(phase, `Routing ${rules.map((r) => r.name).join(', ')} of load balancer ${lb.name} to backend pool ${pool}`);
  await save(clients, { ...lb, loadBalancingRules: rules.map((r) => ({ ...r, backendAddressPool: { id } })) }, `Routing rules to ${pool}`, signal);
  return true;
}

/**
 * Points the rules that target the server group's pool at the default pool (disable), or with
 * `removePool` also drops the pool (destroy). Returns whether anything changed.
 */
export async function routeRulesAway(clients: AzureAccountClients, lb: any, pool: string, task: OperationTask, phase: string, options: { removePool?: boolean; signal?: AbortSignal } = {}): Promise<boolean> {
  const rules: any[] = lb.loadBalancingRules ?? [];
  const pools: any[] = lb.backendAddressPools ?? [];
  const targeting = rules.filter((r) => lastSegment(r.backendAddressPool?.id) === pool);
  const hasPool = pools.some((p) => p.name === pool);
  if (targeting.length === 0 && !(options.removePool && hasPool)) return false;
  let nextPools = options.removePool ? pools.filter((p) => p.name !== pool) : pools;
  if (targeting.length > 0 && !nextPools.some((p) => p.name === DEFAULT_POOL)) nextPools = [...nextPools, { name: DEFAULT_POOL }];
  if (targeting.length > 0) await task.updateStatus(phase, `Routing ${targeting.map((r) => r.name).join(', ')} of load balancer ${lb.name} away from backend pool ${pool}`);
  if (options.removePool && hasPool) await task.updateStatus(phase, `Removing backend pool ${pool} from load balancer ${lb.name}`);
  const defaultId = poolId(lb, DEFAULT_POOL);
  const nextRules = rules.map((r) => (lastSegment(r.backendAddressPool?.id) === pool ? { ...r, backendAddressPool: { id: defaultId } } : r));
  await save(clients, { ...lb, backendAddressPools: nextPools, loadBalancingRules: nextRules }, `Detaching backend pool ${pool}`, options.signal);
  return true;
}
