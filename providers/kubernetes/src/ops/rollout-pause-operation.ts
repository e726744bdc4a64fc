import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { patchTarget, targetManifestOperation } from './target-manifest-operation.js';

/** `pauseRolloutManifest` / `resumeRolloutManifest`: sets `spec.paused` of a Deployment. */
export function rolloutPauseOperation(runtime: KubernetesRuntime, paused: boolean): OperationDefinition<ManifestTargetDescription> {
  const phase = paused ? 'PAUSE_ROLLOUT' : 'RESUME_ROLLOUT';
  return targetManifestOperation(runtime, {
    name: paused ? 'pauseRolloutManifest' : 'resumeRolloutManifest',
    kinds: ['Deployment'],
    convert: targetFields,
    async run(target, _description, { task }) {
      await task.updateStatus(phase, `${paused ? 'Pausing' : 'Resuming'} rollout of ${target.display} in ${target.namespace}`);
      return patchTarget(target, task, { phase, patch: { spec: { paused } }, type: 'merge', done: paused ? 'paused' : 'resumed' });
    },
  });
}
