import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { awaitOperation, gceCall } from '../operations.js';
import { lastSegment, regionOfZone } from '../plain.js';
import { accountNameOf, GCE_NAME, optString, str, validateAccount, validateInstanceNames, validateRegion, validateZone } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { zoneOfInstance } from './instance-lookups.js';
import { targetPoolsOf } from './live-lookups.js';

/** Clouddriver's `RegisterInstancesWithGoogleLoadBalancerDescription` (and the deregister one). */
export interface InstanceLoadBalancerDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly zone?: string;
  readonly loadBalancerNames: unknown;
  readonly instanceIds: unknown;
}

type Direction = 'register' | 'deregister';

const SPEC: Record<Direction, { name: string; phase: string; verb: string; preposition: string }> = {
  register: { name: 'registerInstancesWithLoadBalancer', phase: 'REGISTER_INSTANCES_WITH_LOAD_BALANCER', verb: 'Registering', preposition: 'with' },
  deregister: { name: 'deregisterInstancesFromLoadBalancer', phase: 'DEREGISTER_INSTANCES_FROM_LOAD_BALANCER', verb: 'Deregistering', preposition: 'from' },
};

/**
 * Adds instances to (or removes them from) the target pools behind network load balancers, as
 * Clouddriver's GCE register/deregister operations do (`targetPools.addInstance` / `removeInstance`).
 * Only network load balancers have per-instance membership; naming any other kind is an error.
 */
function instanceLoadBalancerOperation(deps: GceOperationDeps, direction: Direction): OperationDefinition<InstanceLoadBalancerDescription> {
  const spec = SPEC[direction];
  return {
    name: spec.name,
    converter: {
      convertDescription: (input) => {
        const zone = optString(input.zone);
        return {
          credentials: accountNameOf(input),
          region: str(input.region) || (zone ? regionOfZone(zone) : ''),
          ...(zone ? { zone } : {}),
          loadBalancerNames: input.loadBalancerNames,
          instanceIds: input.instanceIds,
        };
      },
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const names = d.instanceIds as string[];
          const loadBalancers = d.loadBalancerNames as string[];
          await context.task.updateStatus(spec.phase, `Initializing ${spec.name} of ${names.join(', ')} in ${account.name}/${d.region}`);
          const instances = await Promise.all(
            names.map(async (n) => ({
              instance: `projects/${account.project}/zones/${await zoneOfInstance(deps.cache, account.name, d.region, n, d.zone)}/instances/${n}`,
            })),
          );
          const pools = await gceCall('Looking up load balancers', () => targetPoolsOf(clients, account, d.region, loadBalancers));
          for (const [i, pool] of pools.entries()) {
            const targetPool = lastSegment(pool);
            await context.task.updateStatus(
              spec.phase,
              `${spec.verb} ${names.join(', ')} ${spec.preposition} load balancer ${loadBalancers[i]} (target pool ${targetPool})`,
            );
            const where = { project: account.project, region: d.region, targetPool };
            const started = await gceCall(`${spec.verb} instances ${spec.preposition} ${targetPool}`, () =>
              direction === 'register'
                ? clients.targetPools.addInstance({ ...where, targetPoolsAddInstanceRequestResource: { instances } }, clients.callOptions)
                : clients.targetPools.removeInstance({ ...where, targetPoolsRemoveInstanceRequestResource: { instances } }, clients.callOptions),
            );
            await awaitOperation(clients, started, { signal: context.signal });
          }
          // Instance health against a load balancer is read from the cached target pool membership.
          await deps.refresher.agent(account.name, d.region, 'GoogleNetworkLoadBalancerCachingAgent');
          await context.task.updateStatus(
            spec.phase,
            `Done ${spec.verb.toLowerCase()} ${names.length} instance(s) ${spec.preposition} ${loadBalancers.join(', ')}`,
          );
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateRegion(errors, account, d.region);
        validateZone(errors, d.zone, d.region);
        if (!Array.isArray(d.loadBalancerNames) || d.loadBalancerNames.length === 0)
          errors.reject('loadBalancerNames', 'empty', 'loadBalancerNames must list at least one load balancer');
        else
          d.loadBalancerNames.forEach((n, i) => {
            if (typeof n !== 'string' || !GCE_NAME.test(n))
              errors.reject(`loadBalancerNames[${i}]`, 'invalid', `'${String(n)}' is not a GCE load balancer name`);
          });
        validateInstanceNames(errors, d.instanceIds);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}

export const registerInstancesWithLoadBalancerOperation = (deps: GceOperationDeps) => instanceLoadBalancerOperation(deps, 'register');
export const deregisterInstancesFromLoadBalancerOperation = (deps: GceOperationDeps) => instanceLoadBalancerOperation(deps, 'deregister');
