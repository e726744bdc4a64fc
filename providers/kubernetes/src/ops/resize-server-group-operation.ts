import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import {
  kubectlName,
  manifestDisplayName,
  manifestOperation,
  resolveTarget,
  resultFor,
  str,
  validateTarget,
  type ManifestTargetDescription,
} from './manifest-operation-support.js';

export interface ResizeServerGroupDescription extends ManifestTargetDescription {
  readonly capacity: unknown;
}

const RESIZABLE = ['Deployment', 'ReplicaSet', 'StatefulSet'];
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const wholeNumber = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/**
 * `resizeServerGroup` for Kubernetes server groups, as Orca's Resize Server Group stage sends it:
 * `serverGroupName` is `<kind> <name>` (`replicaSet web-v002`), `region` the namespace and
 * `capacity.desired` the new replica count (Kubernetes has no min/max; Clouddriver scales to
 * `desired` too).
 */
export function resizeServerGroupOperation(runtime: KubernetesRuntime): OperationDefinition<ResizeServerGroupDescription> {
  return manifestOperation(runtime, {
    name: 'resizeServerGroup',
    convert: (input) => ({
      account: str(input.account ?? input.credentials ?? input.accountName),
      manifestName: str(input.serverGroupName ?? input.asgName ?? input.manifestName),
      location: str(input.region ?? input.namespace ?? input.location),
      capacity: isObject(input.capacity) ? { ...input.capacity, desired: wholeNumber(input.capacity.desired) } : input.capacity,
      raw: input,
    }),
    validate(description, errors) {
      validateTarget(
        runtime,
        description,
        {
          reject: (field, code, message) =>
            errors.reject(field === 'manifestName' ? 'serverGroupName' : field === 'location' ? 'region' : field, code, message),
          get hasErrors() {
            return errors.hasErrors;
          },
        },
        RESIZABLE,
      );
      const desired = isObject(description.capacity) ? description.capacity.desired : undefined;
      if (!isObject(description.capacity)) errors.reject('capacity', 'empty', 'capacity ({min, max, desired}) is required');
      else if (typeof desired !== 'number' || !Number.isInteger(desired) || desired < 0)
        errors.reject('capacity.desired', desired === undefined ? 'empty' : 'invalid', 'capacity.desired must be an integer ≥ 0');
    },
    async run(description, { task }) {
      const target = resolveTarget(runtime, description);
      const desired = (description.capacity as { desired: number }).desired;
      const display = manifestDisplayName(target.kind, target.name);
      await task.updateStatus('RESIZE_KUBERNETES_SERVER_GROUP', `Resizing ${display} in ${target.namespace} to ${desired} replicas`);
      const manifest = await target.client.patch(target.kind, target.namespace, target.name, { spec: { replicas: desired } }, 'merge');
      await task.addOutput({
        manifest: display,
        phase: 'RESIZE_KUBERNETES_SERVER_GROUP',
        stdOut: `${kubectlName(target.kind, target.name)} scaled`,
        stdError: '',
      });
      await task.updateStatus('RESIZE_KUBERNETES_SERVER_GROUP', `Resized ${display}`);
      return resultFor([{ namespace: target.namespace, displayName: display, manifest }]);
    },
  });
}
