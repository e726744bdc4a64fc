import { RebootInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { AtomicOperation, OperationContext, OperationDefinition } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { accountNameOf, str, validateAccount, validateRegion } from './description.js';

export interface InstancesDescription {
  readonly credentials?: string | undefined;
  readonly region: string;
  readonly instanceIds: unknown;
  /** The server group the instances belong to, when the caller knows it (refreshed afterwards). */
  readonly serverGroupName?: string;
}

function instancesOperation(
  deps: AwsOperationDeps,
  name: string,
  phase: string,
  removes: boolean,
  act: (d: InstancesDescription, ids: string[], context: OperationContext) => Promise<void>,
): OperationDefinition<InstancesDescription> {
  return {
    name,
    converter: {
      convertDescription: (input) => ({
        credentials: accountNameOf(input),
        region: str(input.region ?? (Array.isArray(input.regions) ? input.regions[0] : undefined)),
        instanceIds: input.instanceIds,
        ...(typeof (input.serverGroupName ?? input.asgName) === 'string' ? { serverGroupName: (input.serverGroupName ?? input.asgName) as string } : {}),
      }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const ids = d.instanceIds as string[];
          await context.task.updateStatus(phase, `Initializing ${name} of ${ids.join(', ')} in ${d.credentials}/${d.region}`);
          await act(d, ids, context);
          await deps.refresher.agent(
            d.credentials!,
            d.region,
            'InstanceCachingAgent',
            removes ? { [Types.instances]: ids.map((id) => Keys.instance(d.credentials!, d.region, id)) } : {},
          );
          if (d.serverGroupName) await deps.refresher.serverGroup(d.credentials!, d.region, d.serverGroupName);
          await context.task.updateStatus(phase, `Finished ${name} of ${ids.length} instance(s)`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateRegion(errors, account, d.region, 'region');
        if (!Array.isArray(d.instanceIds) || d.instanceIds.length === 0)
          errors.reject('instanceIds', 'empty', 'instanceIds must list at least one instance id');
        else
          d.instanceIds.forEach((id, i) => {
            if (typeof id !== 'string' || !/^i-[0-9a-f]+$/.test(id)) errors.reject(`instanceIds[${i}]`, 'invalid', `'${String(id)}' is not an EC2 instance id`);
          });
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
  };
}

export function terminateInstancesOperation(deps: AwsOperationDeps): OperationDefinition {
  return instancesOperation(deps, 'terminateInstances', 'TERMINATE_INSTANCES', true, async (d, ids, context) => {
    const account = deps.accounts.get(d.credentials!)!;
    await context.task.updateStatus('TERMINATE_INSTANCES', `Terminating ${ids.join(', ')}`);
    await deps.clients.forRegion(account, d.region).ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
  });
}

export function rebootInstancesOperation(deps: AwsOperationDeps): OperationDefinition {
  return instancesOperation(deps, 'rebootInstances', 'REBOOT_INSTANCES', false, async (d, ids, context) => {
    const account = deps.accounts.get(d.credentials!)!;
    await context.task.updateStatus('REBOOT_INSTANCES', `Rebooting ${ids.join(', ')}`);
    await deps.clients.forRegion(account, d.region).ec2.send(new RebootInstancesCommand({ InstanceIds: ids }));
  });
}
