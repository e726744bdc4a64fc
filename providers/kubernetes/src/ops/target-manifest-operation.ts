import type { OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import type { Manifest, PatchType } from '../kubernetes-client.js';
import {
  kubectlName,
  manifestDisplayName,
  manifestOperation,
  resolveTarget,
  resultFor,
  validateTarget,
  type ManifestTarget,
  type ManifestTargetDescription,
} from './manifest-operation-support.js';

/** A resolved target with the name Clouddriver prints for it (`deployment web`). */
export interface DisplayedTarget extends ManifestTarget {
  readonly display: string;
}

/**
 * The opening every operation on one named manifest shares: validate the target (account,
 * `manifestName` of one of `kinds`, namespace) before the operation's own checks, resolve it before
 * `run`, and answer with that one manifest. `run` returns the manifest as the API server left it.
 */
export function targetManifestOperation<D extends ManifestTargetDescription>(
  runtime: KubernetesRuntime,
  spec: {
    name: string;
    /** The kinds the operation accepts; every known kind when absent. */
    kinds?: readonly string[];
    convert(input: Record<string, unknown>): D;
    /** Checks of the operation's own fields, after the target's. */
    validate?(description: D, errors: ValidationErrors): void;
    run(target: DisplayedTarget, description: D, context: OperationContext): Promise<Manifest>;
  },
): OperationDefinition<D> {
  return manifestOperation(runtime, {
    name: spec.name,
    convert: spec.convert,
    validate(description, errors) {
      validateTarget(runtime, description, errors, spec.kinds);
      spec.validate?.(description, errors);
    },
    async run(description, context) {
      const resolved = resolveTarget(runtime, description);
      const target = { ...resolved, display: manifestDisplayName(resolved.kind, resolved.name) };
      const manifest = await spec.run(target, description, context);
      return resultFor([{ namespace: target.namespace, displayName: target.display, manifest }]);
    },
  });
}

/** Patches the target and records kubectl's output line for it (`deployment.apps/web scaled`). */
export async function patchTarget(
  target: DisplayedTarget,
  task: OperationContext['task'],
  change: { phase: string; patch: unknown; type: PatchType; done: string },
): Promise<Manifest> {
  const manifest = await target.client.patch(target.kind, target.namespace, target.name, change.patch, change.type);
  await task.addOutput({ manifest: target.display, phase: change.phase, stdOut: `${kubectlName(target.kind, target.name)} ${change.done}`, stdError: '' });
  return manifest;
}
