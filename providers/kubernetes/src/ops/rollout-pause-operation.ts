import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import {
  kubectlName,
  manifestDisplayName,
  manifestOperation,
  resolveTarget,
  resultFor,
  targetFields,
  validateTarget,
  type ManifestTargetDescription,
} from './manifest-operation-support.js';

/** `pauseRolloutManifest` / `resumeRolloutManifest`: sets `spec.paused` of a Deployment. */
export function rolloutPauseOperation(runtime: KubernetesRuntime, paused: boolean): OperationDefinition<ManifestTargetDescription> {
  const phase = paused ? 'PAUSE_ROLLOUT' : 'RESUME_ROLLOUT';
  return manifestOperation(runtime, {
    name: paused ? 'pauseRolloutManifest' : 'resumeRolloutManifest',
    convert: targetFields,
    validate: (description, errors) => validateTarget(runtime, description, errors, ['Deployment']),
    async run(description, { task }) {
      const target = resolveTarget(runtime, description);
      const display = manifestDisplayName(target.kind, target.name);
      await task.updateStatus(phase, `${paused ? 'Pausing' : 'Resuming'} rollout of ${display} in ${target.namespace}`);
      const manifest = await target.client.patch(target.kind, target.namespace, target.name, { spec: { paused } }, 'merge');
      await task.addOutput({ manifest: display, phase, stdOut: `${kubectlName(target.kind, target.name)} ${paused ? 'paused' : 'resumed'}`, stdError: '' });
      return resultFor([{ namespace: target.namespace, displayName: display, manifest }]);
    },
  });
}
