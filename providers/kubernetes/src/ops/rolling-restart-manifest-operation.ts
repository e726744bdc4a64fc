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

/**
 * `rollingRestartManifest`: what `kubectl rollout restart` does — stamps the pod template with
 * `kubectl.kubernetes.io/restartedAt`, so the controller rolls every pod.
 */
export function rollingRestartManifestOperation(
  runtime: KubernetesRuntime,
  now: () => Date = () => new Date(),
): OperationDefinition<ManifestTargetDescription> {
  return manifestOperation(runtime, {
    name: 'rollingRestartManifest',
    convert: targetFields,
    validate: (description, errors) => validateTarget(runtime, description, errors, ['Deployment', 'StatefulSet', 'DaemonSet']),
    async run(description, { task }) {
      const target = resolveTarget(runtime, description);
      const display = manifestDisplayName(target.kind, target.name);
      await task.updateStatus('ROLLING_RESTART', `Restarting ${display} in ${target.namespace}`);
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now().toISOString() } } } } };
      const manifest = await target.client.patch(target.kind, target.namespace, target.name, patch, 'merge');
      await task.addOutput({ manifest: display, phase: 'ROLLING_RESTART', stdOut: `${kubectlName(target.kind, target.name)} restarted`, stdError: '' });
      return resultFor([{ namespace: target.namespace, displayName: display, manifest }]);
    },
  });
}
