import type { AtomicOperation, OperationDefinition } from '@stratus/plugin-api';
import { azureCall } from '../azure-errors.js';
import { parseServerGroupName } from '@stratus/plugin-api';
import { resourceGroupOf } from '../plain.js';
import type { AzureOperationDeps } from './azure-operation-deps.js';
import { accountNameOf, regionOf, stringList, validateAccount, validateRegion } from './description.js';
import { requireScaleSet } from './live-lookups.js';

/** A scale set VM name: `<scale set>_<instance id>`. */
const VM_NAME = /^(.+)_(\d+)$/;

export interface TerminateInstancesDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly instanceIds: unknown;
}

/**
 * Deletes scale set VMs by name (Orca's `instanceIds` are the names Deck shows, `<group>_<id>`),
 * one `deleteInstances` call per scale set; the scale set's capacity drops accordingly.
 */
export function terminateInstancesOperation(deps: AzureOperationDeps): OperationDefinition<TerminateInstancesDescription> {
  return {
    name: 'terminateInstances',
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), region: regionOf(input), instanceIds: input.instanceIds }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const bySet = new Map<string, string[]>();
          for (const name of stringList(d.instanceIds)) {
            const [, set, id] = VM_NAME.exec(name) as unknown as [string, string, string];
            bySet.set(set, [...(bySet.get(set) ?? []), id]);
          }
          for (const [setName, ids] of bySet) {
            await context.task.updateStatus(
              'TERMINATE_INSTANCES',
              `Terminating ${ids.map((id) => `${setName}_${id}`).join(', ')} in ${account.name}/${d.region}`,
            );
            const scaleSet = await requireScaleSet(clients, d.region, setName, context.signal);
            await azureCall(`Terminating instances of ${setName}`, () =>
              clients.compute.virtualMachineScaleSets.beginDeleteInstancesAndWait(
                resourceGroupOf(scaleSet.id),
                setName,
                { instanceIds: ids },
                { ...clients.pollOptions, abortSignal: context.signal },
              ),
            );
            await deps.refresher.serverGroup(account.name, d.region, setName);
          }
          await context.task.updateStatus('TERMINATE_INSTANCES', `Terminated ${stringList(d.instanceIds).length} instance(s)`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateRegion(errors, account, d.region);
        const ids = d.instanceIds;
        if (!Array.isArray(ids) || ids.length === 0) errors.reject('instanceIds', 'empty', 'instanceIds must list at least one instance');
        else
          ids.forEach((id, i) => {
            if (typeof id !== 'string' || !VM_NAME.test(id))
              errors.reject(`instanceIds[${i}]`, 'invalid', `instanceIds[${i}] must be a scale set VM name such as app-v000_3`);
          });
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => [...new Set(stringList(d.instanceIds).map((id) => parseServerGroupName(id.replace(VM_NAME, '$1')).app))],
  };
}
