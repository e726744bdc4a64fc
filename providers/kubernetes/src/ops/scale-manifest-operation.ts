import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { patchTarget, targetManifestOperation } from './target-manifest-operation.js';

export interface ScaleManifestDescription extends ManifestTargetDescription {
  readonly replicas: unknown;
}

const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];

/** `scaleManifest`: sets `spec.replicas` of a Deployment, ReplicaSet or StatefulSet. */
export function scaleManifestOperation(runtime: KubernetesRuntime): OperationDefinition<ScaleManifestDescription> {
  return targetManifestOperation(runtime, {
    name: 'scaleManifest',
    kinds: SCALABLE,
    convert: (input) => ({
      ...targetFields(input),
      replicas: typeof input.replicas === 'string' && /^\d+$/.test(input.replicas) ? Number(input.replicas) : input.replicas,
    }),
    validate(description, errors) {
      if (typeof description.replicas !== 'number' || !Number.isInteger(description.replicas) || description.replicas < 0) {
        errors.reject('replicas', description.replicas === undefined ? 'empty' : 'invalid', 'replicas must be an integer ≥ 0');
      }
    },
    async run(target, description, { task }) {
      await task.updateStatus('SCALE', `Scaling ${target.display} in ${target.namespace} to ${description.replicas} replicas`);
      const manifest = await patchTarget(target, task, { phase: 'SCALE', patch: { spec: { replicas: description.replicas } }, type: 'merge', done: 'scaled' });
      await task.updateStatus('SCALE', `Scaled ${target.display}`);
      return manifest;
    },
  });
}
