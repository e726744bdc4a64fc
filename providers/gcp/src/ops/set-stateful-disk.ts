import type { OperationDefinition } from '@stratus/plugin-api';
import { awaitOperation, gceCall } from '../operations.js';
import { validateName } from './description.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { serverGroupOperation } from './server-group-operations.js';

const PHASE = 'SET_STATEFUL_DISK';

/**
 * Clouddriver's `setStatefulDisk`: marks the group's disk `deviceName` as preserved state
 * (`statefulPolicy.preservedState.disks.<deviceName>.autoDelete = NEVER`), so recreated instances
 * keep it. A patch of the group (other preserved disks merge, as the whole-group update Clouddriver
 * sends keeps them).
 */
export function setStatefulDiskOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'setStatefulDisk',
    phase: PHASE,
    validate: (input, errors) => validateName(errors, input.deviceName, 'deviceName'),
    async act(step) {
      const { clients, account, group } = step;
      const deviceName = step.description.input.deviceName as string;
      const name = step.description.serverGroupName;
      await step.task.updateStatus(PHASE, `Marking disk ${deviceName} of ${name} stateful`);
      const instanceGroupManagerResource = { statefulPolicy: { preservedState: { disks: { [deviceName]: { autoDelete: 'NEVER' } } } } };
      const where = { project: account.project, instanceGroupManager: name, instanceGroupManagerResource };
      const started = await gceCall(`Updating ${name}`, () =>
        group.zone
          ? clients.zonalGroups.patch({ ...where, zone: group.zone }, clients.callOptions)
          : clients.regionalGroups.patch({ ...where, region: group.region }, clients.callOptions),
      );
      await awaitOperation(clients, started, { signal: step.signal });
    },
  });
}
