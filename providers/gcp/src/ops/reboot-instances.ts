import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { awaitOperation, gceCall } from '../operations.js';
import { regionOfZone } from '../plain.js';
import { accountNameOf, optString, str, validateAccount, validateInstanceNames, validateRegion, validateZone } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { zoneOfInstance } from './instance-lookups.js';

const PHASE = 'REBOOT_INSTANCES';

/** Clouddriver's `RebootGoogleInstancesDescription` (Orca also sends `region`). */
export interface RebootInstancesDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly zone?: string;
  readonly instanceIds: unknown;
}

/** Reboots instances with `instances.reset` (a hard reset, as Clouddriver's GCE reboot does), each in its zone. */
export function rebootInstancesOperation(deps: GceOperationDeps): OperationDefinition<RebootInstancesDescription> {
  return {
    name: 'rebootInstances',
    converter: {
      convertDescription: (input) => {
        const zone = optString(input.zone);
        return {
          credentials: accountNameOf(input),
          region: str(input.region) || (zone ? regionOfZone(zone) : ''),
          ...(zone ? { zone } : {}),
          instanceIds: input.instanceIds,
        };
      },
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const names = d.instanceIds as string[];
          await context.task.updateStatus(PHASE, `Initializing reboot of ${names.join(', ')} in ${account.name}/${d.region}`);
          for (const name of names) {
            const zone = await zoneOfInstance(deps.cache, account.name, d.region, name, d.zone);
            await context.task.updateStatus(PHASE, `Rebooting instance ${name} in ${zone}`);
            const started = await gceCall(`Rebooting instance ${name}`, () =>
              clients.instances.reset({ project: account.project, zone, instance: name }, clients.callOptions),
            );
            await awaitOperation(clients, started, { signal: context.signal });
          }
          await deps.refresher.agent(account.name, 'global', 'GoogleInstanceCachingAgent');
          await context.task.updateStatus(PHASE, `Done rebooting ${names.length} instance(s)`);
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
