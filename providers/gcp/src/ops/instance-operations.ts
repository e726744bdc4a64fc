import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { awaitOperation, gceCall } from '../operations.js';
import { regionOfZone } from '../plain.js';
import { accountNameOf, optString, str, validateAccount, validateInstanceNames, validateRegion, validateZone } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { requireGroup } from './live-lookups.js';

const PHASE = 'TERMINATE_INSTANCES';

/** Clouddriver's `TerminateGoogleInstancesDescription`. */
export interface TerminateInstancesDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly zone?: string;
  readonly instanceIds: unknown;
  readonly serverGroupName?: string;
}

/**
 * Terminates instances. With `serverGroupName` the group recreates them (`recreateInstances`: the
 * group keeps its size, as Clouddriver does); without, each instance is deleted in its zone (which a
 * managed group then replaces).
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export function terminateInstancesOperation(deps: GceOperationDeps): OperationDefinition<TerminateInstancesDescription> {
  return {
    name: 'terminateInstances',
    converter: {
      convertDescription: (input) => {
        const zone = optString(input.zone);
        return {
          credentials: accountNameOf(input),
          region: str(input.region) || (zone ? regionOfZone(zone) : ''),
          ...(zone ? { zone } : {}),
          instanceIds: input.instanceIds,
          ...(optString(input.serverGroupName) ? { serverGroupName: input.serverGroupName as string } : {}),
        };
      },
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const names = d.instanceIds as string[];
          await context.task.updateStatus(PHASE, `Initializing termination of ${names.join(', ')} in ${account.name}/${d.region}`);
          const groups = new Set<string>(d.serverGroupName ? [d.serverGroupName] : []);
          if (d.serverGroupName) {
            const group = await requireGroup(clients, account, d.region, d.serverGroupName, d.zone);
            const zoneOfMember = async (name: string) => {
              const cached = await deps.cache.get(Types.instances, Keys.instance(account.name, d.region, name), { relationshipPrefixes: [] });
              return (cached?.attributes.zone as string | undefined) ?? group.zone ?? d.zone;
            };
            const links = await Promise.all(names.map(async (n) => `zones/${await zoneOfMember(n)}/instances/${n}`));
            await context.task.updateStatus(PHASE, `Recreating ${names.join(', ')} in ${d.serverGroupName}`);
            const where = { project: account.project, instanceGroupManager: d.serverGroupName };
            const started = await gceCall(`Recreating instances of ${d.serverGroupName}`, () =>
              group.zone
                ? clients.zonalGroups.recreateInstances(
                    { ...where, zone: group.zone, instanceGroupManagersRecreateInstancesRequestResource: { instances: links } },
                    clients.callOptions,
                  )
                : clients.regionalGroups.recreateInstances(
                    { ...where, region: d.region, regionInstanceGroupManagersRecreateRequestResource: { instances: links } },
                    clients.callOptions,
                  ),
            );
            await awaitOperation(clients, started, { signal: context.signal });
          } else {
            // Instances of a group are replaced by it: refresh those groups afterwards.
            for (const name of names) {
              const cached = await deps.cache.get(Types.instances, Keys.instance(account.name, d.region, name), { relationshipPrefixes: [] });
              if (typeof cached?.attributes.serverGroup === 'string') groups.add(cached.attributes.serverGroup);
            }
            for (const name of names) {
              const cached = await deps.cache.get(Types.instances, Keys.instance(account.name, d.region, name), { relationshipPrefixes: [] });
              const zone = d.zone ?? (cached?.attributes.zone as string | undefined);
              if (!zone) throw new Error(`Instance ${name} is not known in ${account.name}/${d.region}; give its zone`);
              await context.task.updateStatus(PHASE, `Deleting instance ${name} in ${zone}`);
              const started = await gceCall(`Deleting instance ${name}`, () =>
                clients.instances.delete({ project: account.project, zone, instance: name }, clients.callOptions),
              );
              await awaitOperation(clients, started, { signal: context.signal });
            }
          }
          await deps.refresher.agent(
            account.name,
            'global',
            'GoogleInstanceCachingAgent',
            d.serverGroupName ? {} : { [Types.instances]: names.map((n) => Keys.instance(account.name, d.region, n)) },
          );
          for (const group of groups) await deps.refresher.serverGroup(account.name, d.region, group);
          await context.task.updateStatus(PHASE, `Finished terminating ${names.length} instance(s)`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateRegion(errors, account, d.region);
        validateZone(errors, d.zone, d.region);
        validateInstanceNames(errors, d.instanceIds);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}

const DECREMENT_PHASE = 'TERMINATE_AND_DECREMENT';

/**
 * Terminates instances of a group and shrinks it by as many (`deleteInstances`), so they are not
 * replaced (Clouddriver's `TerminateAndDecrementGoogleServerGroupAtomicOperation`).
 */
export function terminateInstanceAndDecrementServerGroupOperation(deps: GceOperationDeps): OperationDefinition<TerminateInstancesDescription> {
  const terminate = terminateInstancesOperation(deps);
  return {
    name: 'terminateInstanceAndDecrementServerGroup',
    converter: {
      convertDescription: (input) => terminate.converter.convertDescription(input),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const names = d.instanceIds as string[];
          const group = await requireGroup(clients, account, d.region, d.serverGroupName!, d.zone);
          await context.task.updateStatus(
            DECREMENT_PHASE,
            `Deleting ${names.join(', ')} from ${d.serverGroupName} and shrinking it to ${Math.max(0, (group.igm.targetSize ?? 0) - names.length)}`,
          );
          const links = await Promise.all(
            names.map(async (n) => {
              const cached = await deps.cache.get(Types.instances, Keys.instance(account.name, d.region, n), { relationshipPrefixes: [] });
              return `zones/${(cached?.attributes.zone as string | undefined) ?? group.zone ?? d.zone}/instances/${n}`;
            }),
          );
          const where = { project: account.project, instanceGroupManager: d.serverGroupName! };
          const started = await gceCall(`Deleting instances of ${d.serverGroupName}`, () =>
            group.zone
              ? clients.zonalGroups.deleteInstances(
                  { ...where, zone: group.zone, instanceGroupManagersDeleteInstancesRequestResource: { instances: links } },
                  clients.callOptions,
                )
              : clients.regionalGroups.deleteInstances(
                  { ...where, region: d.region, regionInstanceGroupManagersDeleteInstancesRequestResource: { instances: links } },
                  clients.callOptions,
                ),
          );
          await awaitOperation(clients, started, { signal: context.signal });
          await deps.refresher.agent(account.name, 'global', 'GoogleInstanceCachingAgent', {
            [Types.instances]: names.map((n) => Keys.instance(account.name, d.region, n)),
          });
          await deps.refresher.serverGroup(account.name, d.region, d.serverGroupName!);
          await context.task.updateStatus(DECREMENT_PHASE, `Finished terminating ${names.length} instance(s) of ${d.serverGroupName}`);
          return undefined;
        },
      }),
    },
    validator: {
      async validate(d, errors, prior) {
        await terminate.validator!.validate(d, errors, prior);
        if (!d.serverGroupName) errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}
