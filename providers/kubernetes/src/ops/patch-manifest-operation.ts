import type { OperationDefinition } from '@stratus/plugin-api';
import type { PatchType } from '../kubernetes-client.js';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { str, targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { patchTarget, targetManifestOperation } from './target-manifest-operation.js';

export interface PatchManifestDescription extends ManifestTargetDescription {
  readonly patchBody: unknown;
  /** `strategic` (default; applied as a JSON merge patch by servers without strategic support), `merge` or `json`. */
  readonly mergeStrategy: string;
}

const STRATEGIES: Record<string, PatchType> = { strategic: 'strategic', merge: 'merge', json: 'json' };

/** `patchManifest`: merge, strategic-merge or JSON patch of one manifest. */
export function patchManifestOperation(runtime: KubernetesRuntime): OperationDefinition<PatchManifestDescription> {
  return targetManifestOperation(runtime, {
    name: 'patchManifest',
    convert: (input) => {
      const options = (typeof input.options === 'object' && input.options !== null ? input.options : {}) as Record<string, unknown>;
      // Orca sends the body as `patchBody`, a list for JSON patches or one object (sometimes wrapped in a list).
      let patchBody = input.patchBody;
      const mergeStrategy = str(options.mergeStrategy || 'strategic').toLowerCase();
      if (mergeStrategy !== 'json' && Array.isArray(patchBody) && patchBody.length === 1) patchBody = patchBody[0];
      return { ...targetFields(input), patchBody, mergeStrategy };
    },
    validate(description, errors) {
      if (!STRATEGIES[description.mergeStrategy]) errors.reject('options.mergeStrategy', 'invalid', 'options.mergeStrategy must be strategic, merge or json');
      if (description.patchBody === undefined || description.patchBody === null) errors.reject('patchBody', 'empty', 'patchBody is required');
      else if (description.mergeStrategy === 'json') {
        const ops = description.patchBody;
        if (!Array.isArray(ops) || ops.some((op) => typeof op !== 'object' || op === null || typeof op.op !== 'string' || typeof op.path !== 'string')) {
          errors.reject('patchBody', 'invalid', 'a JSON patch must be a list of {op, path, value} operations');
        }
      } else if (typeof description.patchBody !== 'object' || Array.isArray(description.patchBody)) {
        errors.reject('patchBody', 'invalid', 'a merge patch must be an object');
      }
    },
    async run(target, description, { task }) {
      await task.updateStatus('PATCH', `Patching ${target.display} in ${target.namespace} (${description.mergeStrategy})`);
      // Custom resources have no strategic-merge schema (the API server answers 415): merge them.
      const builtIn = BUILT_IN_KINDS.some((k) => k.kind === target.kind.kind && k.group === target.kind.group);
      const type = description.mergeStrategy === 'strategic' && !builtIn ? 'merge' : STRATEGIES[description.mergeStrategy]!;
      const manifest = await patchTarget(target, task, { phase: 'PATCH', patch: description.patchBody, type, done: 'patched' });
      await task.updateStatus('PATCH', `Patched ${target.display}`);
      return manifest;
    },
  });
}
