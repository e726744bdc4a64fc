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

export interface ScaleManifestDescription extends ManifestTargetDescription {
  readonly replicas: unknown;
}

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];

/** `scaleManifest`: sets `spec.replicas` of a Deployment, ReplicaSet or StatefulSet. */
export function scaleManifestOperation(runtime: KubernetesRuntime): OperationDefinition<ScaleManifestDescription> {
  return manifestOperation(runtime, {
    name: 'scaleManifest',
    convert: (input) => ({
      ...targetFields(input),
      replicas: typeof input.replicas === 'string' && /^\d+$/.test(input.replicas) ? Number(input.replicas) : input.replicas,
    }),
    validate(description, errors) {
      validateTarget(runtime, description, errors, SCALABLE);
      if (typeof description.replicas !== 'number' || !Number.isInteger(description.replicas) || description.replicas < 0) {
        errors.reject('replicas', description.replicas === undefined ? 'empty' : 'invalid', 'replicas must be an integer ≥ 0');
      }
    },
    async run(description, { task }) {
      const target = resolveTarget(runtime, description);
      const display = manifestDisplayName(target.kind, target.name);
      await task.updateStatus('SCALE', `Scaling ${display} in ${target.namespace} to ${description.replicas} replicas`);
      const manifest = await target.client.patch(target.kind, target.namespace, target.name, { spec: { replicas: description.replicas } }, 'merge');
      await task.addOutput({ manifest: display, phase: 'SCALE', stdOut: `${kubectlName(target.kind, target.name)} scaled`, stdError: '' });
      await task.updateStatus('SCALE', `Scaled ${display}`);
      return resultFor([{ namespace: target.namespace, displayName: display, manifest }]);
    },
  });
}
