import type { OperationDefinition } from '@stratus/plugin-api';
import type { NimbusAccount } from '../nimbus-account.js';
import { NimbusClient } from '../nimbus-client.js';
import { serverGroupDescription, validateServerGroupDescription, type ServerGroupDescription } from './server-group-description.js';

const PHASE = 'DESTROY_SERVER_GROUP';

/** `destroyServerGroup`: deletes a group and its instances; deleting a group that is already gone succeeds. */
export function destroyServerGroupOperation(accountNamed: (name: string) => NimbusAccount | undefined): OperationDefinition<ServerGroupDescription> {
  return {
    name: 'destroyServerGroup',
    converter: {
      convertDescription: serverGroupDescription,
      convertOperation: (description) => ({
        async operate(_prior, context) {
          const account = context.account(description.account) as NimbusAccount | undefined;
          if (!account) throw new Error(`no Nimbus account named ${description.account}`);
          const { serverGroupName, region } = description;
          const client = new NimbusClient(account.endpoint, account.token);
          await context.task.updateStatus(PHASE, `Destroying ${serverGroupName} in ${region}`);
          // Orca retries destroys; an already-deleted group is the outcome it wants.
          if (await client.getGroup(region, serverGroupName, context.signal)) await client.deleteGroup(region, serverGroupName, context.signal);
          await context.task.updateStatus(PHASE, `Destroyed ${serverGroupName}`);
          return undefined;
        },
      }),
    },
    validator: { validate: (description, errors) => validateServerGroupDescription(description, errors, accountNamed) },
    accountsOf: (description) => [description.account],
    applicationsOf: (description) => [description.serverGroupName.split('-')[0]!],
  };
}
