import type { OperationDefinition } from '@stratus/plugin-api';
import { deleteAutoscaler, findAutoscaler, insertAutoscaler, patchAutoscaler, validateAutoscalingPolicy, type AutoscalingPolicy } from './autoscaler.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { serverGroupOperation } from './server-group-operations.js';

const UPSERT_PHASE = 'UPSERT_SCALING_POLICY';
const DELETE_PHASE = 'DELETE_SCALING_POLICY';

/**
 * Clouddriver's `upsertScalingPolicy` for GCE (Orca's `UpsertGceAutoscalingPolicyTask` sends
 * `serverGroupName`, `region`, `credentials` and `autoscalingPolicy`): patches the group's autoscaler
 * when it has one (nested policy fields merge), otherwise creates one named like the group.
 */
export function upsertScalingPolicyOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'upsertScalingPolicy',
    phase: UPSERT_PHASE,
    validate: (input, errors) => {
      if (input.autoscalingPolicy === undefined || input.autoscalingPolicy === null) errors.reject('autoscalingPolicy', 'empty', 'autoscalingPolicy is required');
      else validateAutoscalingPolicy(errors, input.autoscalingPolicy);
    },
    async act(step) {
      const policy = step.description.input.autoscalingPolicy as AutoscalingPolicy;
      const name = step.description.serverGroupName;
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler) {
        await step.task.updateStatus(UPSERT_PHASE, `Updating autoscaler ${autoscaler.name} of ${name}`);
        await patchAutoscaler(step.clients, step.group, autoscaler, policy, step.signal);
      } else {
        await step.task.updateStatus(UPSERT_PHASE, `Creating autoscaler for ${name}`);
        await insertAutoscaler(step.clients, step.group, policy, step.signal);
      }
      await step.task.updateStatus(UPSERT_PHASE, `Done upserting autoscaling policy of ${name} (${policy.minNumReplicas ?? '?'}–${policy.maxNumReplicas} instances)`);
    },
  });
}

/** Clouddriver's `deleteScalingPolicy` for GCE: deletes the group's autoscaler (none is not an error). */
export function deleteScalingPolicyOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'deleteScalingPolicy',
    phase: DELETE_PHASE,
    async act(step) {
      const name = step.description.serverGroupName;
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (!autoscaler) {
        await step.task.updateStatus(DELETE_PHASE, `${name} has no autoscaler; nothing to delete`);
        return;
      }
      await step.task.updateStatus(DELETE_PHASE, `Deleting autoscaler ${autoscaler.name} of ${name}`);
      await deleteAutoscaler(step.clients, step.group, autoscaler, step.signal);
    },
  });
}
