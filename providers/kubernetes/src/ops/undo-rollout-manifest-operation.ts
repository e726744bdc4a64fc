import type { OperationDefinition } from '@stratus/plugin-api';
import { BUILT_IN_KINDS } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { targetFields, type ManifestTargetDescription } from './manifest-operation-support.js';
import { patchTarget, targetManifestOperation } from './target-manifest-operation.js';

export interface UndoRolloutManifestDescription extends ManifestTargetDescription {
  readonly revision: unknown;
  readonly numRevisionsBack: unknown;
}

const REVISION = 'deployment.kubernetes.io/revision';
const REPLICA_SET = BUILT_IN_KINDS.find((k) => k.kind === 'ReplicaSet')!;

const asInt = (value: unknown) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const isPositiveInt = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;

/**
 * `undoRolloutManifest` for Deployments, as `kubectl rollout undo` does it client-side: find the
 * ReplicaSet of the wanted revision (`revision`, or `numRevisionsBack` before the current one,
 * default 1) and put its pod template back into the Deployment.
 */
export function undoRolloutManifestOperation(runtime: KubernetesRuntime): OperationDefinition<UndoRolloutManifestDescription> {
  return targetManifestOperation(runtime, {
    name: 'undoRolloutManifest',
    kinds: ['Deployment'],
    convert: (input) => ({ ...targetFields(input), revision: asInt(input.revision), numRevisionsBack: asInt(input.numRevisionsBack) }),
    validate(description, errors) {
      if (description.revision !== undefined && description.revision !== null && !isPositiveInt(description.revision)) {
        errors.reject('revision', 'invalid', 'revision must be a positive integer');
      }
      if (description.numRevisionsBack !== undefined && description.numRevisionsBack !== null && !isPositiveInt(description.numRevisionsBack)) {
        errors.reject('numRevisionsBack', 'invalid', 'numRevisionsBack must be a positive integer');
      }
    },
    async run(target, description, { task }) {
      const display = target.display;
      await task.updateStatus('UNDO_ROLLOUT', `Looking up the revisions of ${display} in ${target.namespace}`);
      const deployment = await target.client.get(target.kind, target.namespace, target.name);
      if (!deployment) throw new Error(`${display} does not exist in ${target.namespace}`);
      const { items } = await target.client.list(REPLICA_SET, target.namespace);
      const owned = items
        .filter((rs) => (rs.metadata?.ownerReferences ?? []).some((ref: { uid: string }) => ref.uid === deployment.metadata?.uid))
        .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0) }))
        .sort((a, b) => b.revision - a.revision);
      if (owned.length < 2 && description.revision === undefined) throw new Error(`${display} has no previous revision to roll back to`);
      const wanted = isPositiveInt(description.revision)
        ? owned.find((o) => o.revision === description.revision)
        : owned[isPositiveInt(description.numRevisionsBack) ? (description.numRevisionsBack as number) : 1];
      if (!wanted)
        throw new Error(
          `revision ${String(description.revision ?? description.numRevisionsBack)} of ${display} was not found (known: ${owned.map((o) => o.revision).join(', ')})`,
        );
      const template = structuredClone(wanted.rs.spec?.template ?? {});
      if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
      await task.updateStatus('UNDO_ROLLOUT', `Rolling ${display} back to revision ${wanted.revision}`);
      const patch = [{ op: 'replace', path: '/spec/template', value: template }];
      return patchTarget(target, task, { phase: 'UNDO_ROLLOUT', patch, type: 'json', done: 'rolled back' });
    },
  });
}
