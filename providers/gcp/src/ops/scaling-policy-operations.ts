import type { OperationDefinition } from '@stratus/plugin-api';
import { deleteAutoscaler, findAutoscaler, insertAutoscaler, patchAutoscaler, validateAutoscalingPolicy, type AutoscalingPolicy } from './autoscaler.js';
import type { GceOperationDeps } from './gce-operation-deps.js';
import { isNonNegativeInt, validateName } from './description.js';
import { serverGroupOperation, type ServerGroupStep } from './server-group-operations.js';
import { awaitOperation, gceCall } from '../operations.js';

const UPSERT_PHASE = 'UPSERT_SCALING_POLICY';
const DELETE_PHASE = 'DELETE_SCALING_POLICY';

/** Sets the group's auto-healing policy (one health check, by name, and the initial delay), as Clouddriver does with the policy's `autoHealingPolicy`. */
async function setAutoHealing(step: ServerGroupStep, healing: { healthCheck: string; initialDelaySec?: number }): Promise<void> {
  const { clients, account, group } = step;
  const name = step.description.serverGroupName;
  await step.task.updateStatus(
    UPSERT_PHASE,
    `Setting auto-healing of ${name} to health check ${healing.healthCheck}${healing.initialDelaySec !== undefined ? ` after ${healing.initialDelaySec}s` : ''}`,
  );
  const autoHealingPolicies = [
    {
      healthCheck: `projects/${account.project}/global/healthChecks/${healing.healthCheck}`,
      ...(healing.initialDelaySec !== undefined ? { initialDelaySec: healing.initialDelaySec } : {}),
    },
  ];
  const where = { project: account.project, instanceGroupManager: name, instanceGroupManagerResource: { autoHealingPolicies } };
  const started = await gceCall(`Updating ${name}`, () =>
    group.zone
      ? clients.zonalGroups.patch({ ...where, zone: group.zone }, clients.callOptions)
      : clients.regionalGroups.patch({ ...where, region: group.region }, clients.callOptions),
  );
  await awaitOperation(clients, started, { signal: step.signal });
}

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
      const healing = input.autoHealingPolicy as Record<string, unknown> | undefined;
      if ((input.autoscalingPolicy === undefined || input.autoscalingPolicy === null) && healing === undefined)
        errors.reject('autoscalingPolicy', 'empty', 'autoscalingPolicy (or autoHealingPolicy) is required');
      else validateAutoscalingPolicy(errors, input.autoscalingPolicy);
      if (healing !== undefined) {
        if (!healing || typeof healing !== 'object' || Array.isArray(healing))
          errors.reject('autoHealingPolicy', 'invalid', 'autoHealingPolicy must be an object {healthCheck, initialDelaySec}');
        else {
          validateName(errors, healing.healthCheck, 'autoHealingPolicy.healthCheck');
          if (healing.initialDelaySec !== undefined && !isNonNegativeInt(healing.initialDelaySec))
            errors.reject('autoHealingPolicy.initialDelaySec', 'invalid', 'autoHealingPolicy.initialDelaySec must be a non-negative integer');
        }
      }
    },
    async act(step) {
      const policy = step.description.input.autoscalingPolicy as AutoscalingPolicy | undefined;
      const name = step.description.serverGroupName;
      const healing = step.description.input.autoHealingPolicy as { healthCheck: string; initialDelaySec?: number } | undefined;
      if (healing) await setAutoHealing(step, healing);
      if (!policy) return;
      const autoscaler = await findAutoscaler(step.clients, step.group);
      if (autoscaler) {
        await step.task.updateStatus(UPSERT_PHASE, `Updating autoscaler ${autoscaler.name} of ${name}`);
        await patchAutoscaler(step.clients, step.group, autoscaler, policy, step.signal);
      } else {
        await step.task.updateStatus(UPSERT_PHASE, `Creating autoscaler for ${name}`);
        await insertAutoscaler(step.clients, step.group, policy, step.signal);
      }
      await step.task.updateStatus(
        UPSERT_PHASE,
        `Done upserting autoscaling policy of ${name} (${policy.minNumReplicas ?? '?'}–${policy.maxNumReplicas ?? '?'} instances)`,
      );
    },
  });
}

/**
 * Clears the group's auto-healing policies (Clouddriver's `deleteAutoHealingPolicy`). compute/v1 no
 * longer has `setAutoHealingPolicies`, and the SDK drops an empty list from a PATCH body, so this
 * sends the documented "turn autohealing off" value, one empty policy (docs/providers/gcp.md).
 */
async function clearAutoHealing(step: ServerGroupStep): Promise<void> {
  const { clients, account, group } = step;
  const name = step.description.serverGroupName;
  const current = (group.igm.autoHealingPolicies as unknown[] | null | undefined) ?? [];
  if (current.length === 0) {
    await step.task.updateStatus(DELETE_PHASE, `${name} has no auto-healing policy; nothing to delete`);
    return;
  }
  await step.task.updateStatus(DELETE_PHASE, `Initializing deletion of auto-healing policy for ${name}`);
  const where = { project: account.project, instanceGroupManager: name, instanceGroupManagerResource: { autoHealingPolicies: [{}] } };
  const started = await gceCall(`Updating ${name}`, () =>
    group.zone
      ? clients.zonalGroups.patch({ ...where, zone: group.zone }, clients.callOptions)
      : clients.regionalGroups.patch({ ...where, region: group.region }, clients.callOptions),
  );
  await awaitOperation(clients, started, { signal: step.signal });
  await step.task.updateStatus(DELETE_PHASE, `Done deleting auto-healing policy for ${name}`);
}

/**
 * Clouddriver's `deleteScalingPolicy` for GCE: deletes the group's autoscaler (none is not an error),
 * or, with `deleteAutoHealingPolicy: true` (what Deck's "remove auto-healing" sends), only clears the
 * group's auto-healing policy.
 */
export function deleteScalingPolicyOperation(deps: GceOperationDeps): OperationDefinition {
  return serverGroupOperation(deps, {
    name: 'deleteScalingPolicy',
    phase: DELETE_PHASE,
    validate: (input, errors) => {
      const flag = input.deleteAutoHealingPolicy;
      if (flag !== undefined && flag !== null && typeof flag !== 'boolean')
        errors.reject('deleteAutoHealingPolicy', 'invalid', 'deleteAutoHealingPolicy must be true or false');
    },
    async act(step) {
      if (step.description.input.deleteAutoHealingPolicy === true) return clearAutoHealing(step);
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
