import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { patchTarget, targetManifestOperation } from './target-manifest-operation.js';

/**
 * `rollingRestartManifest`: what `kubectl rollout restart` does — stamps the pod template with
 * `kubectl.kubernetes.io/restartedAt`, so the controller rolls every pod.
 */
export function rollingRestartManifestOperation(
  runtime: KubernetesRuntime,
  now: () => Date = () => new Date(),
): OperationDefinition<ManifestTargetDescription> {
  return targetManifestOperation(runtime, {
    name: 'rollingRestartManifest',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    convert: targetFields,
    async run(target, _description, { task }) {
      await task.updateStatus('ROLLING_RESTART', `Restarting ${target.display} in ${target.namespace}`);
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now().toISOString() } } } } };
      return patchTarget(target, task, { phase: 'ROLLING_RESTART', patch, type: 'merge', done: 'restarted' });
    },
  });
}
