import type { OperationDefinition } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/provider-kit';
import { findKind, type KubernetesKind } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import {
  kubectlName,
  manifestDisplayName,
  manifestOperation,
  resolveTarget,
  resultFor,
  str,
  targetFields,
  validateAccount,
  validateTarget,
  type ManifestTargetDescription,
} from './manifest-operation-support.js';

/** One of Clouddriver's `labelSelectors.selectors[]`. */
export interface LabelSelectorRequirement {
  readonly kind: string;
  readonly key: string;
  readonly values?: readonly string[];
}

export interface DeleteManifestDescription extends ManifestTargetDescription {
  readonly kinds: readonly string[];
  readonly selectors: readonly LabelSelectorRequirement[] | undefined;
  /** `false` orphans dependents; anything else deletes them in the background. */
  readonly cascading: boolean;
  readonly gracePeriodSeconds: number | undefined;
  readonly allowNothingSelected: boolean;
}

const SELECTOR_KINDS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'EXISTS', 'NOT_EXISTS'];

/** Turns Clouddriver's selector requirements into a label selector query string. */
export function labelSelectorQuery(selectors: readonly LabelSelectorRequirement[]): string {
  return selectors
    .map((s) => {
      const values = s.values ?? [];
      switch (s.kind) {
        case 'EQUALS':
          return `${s.key}=${values[0] ?? ''}`;
        case 'NOT_EQUALS':
          return `${s.key}!=${values[0] ?? ''}`;
        case 'CONTAINS':
          return `${s.key} in (${values.join(',')})`;
        case 'NOT_CONTAINS':
          return `${s.key} notin (${values.join(',')})`;
        case 'EXISTS':
          return s.key;
        default:
          return `!${s.key}`;
      }
    })
    .join(',');
}

/**
 * `deleteManifest`: one manifest by `manifestName`, or every manifest of `kinds` in `location`
 * matching `labelSelectors`. `options.cascading: false` orphans dependents.
 */
export function deleteManifestOperation(runtime: KubernetesRuntime): OperationDefinition<DeleteManifestDescription> {
  return manifestOperation(runtime, {
    name: 'deleteManifest',
    convert(input) {
      const options = (typeof input.options === 'object' && input.options !== null ? input.options : {}) as Record<string, unknown>;
      const labelSelectors = input.labelSelectors as { selectors?: LabelSelectorRequirement[] } | undefined;
      const grace = options.gracePeriodSeconds;
      return {
        ...targetFields(input),
        kinds: Array.isArray(input.kinds) ? input.kinds.map(str) : [],
        selectors: labelSelectors && Array.isArray(labelSelectors.selectors) ? labelSelectors.selectors : undefined,
        cascading: options.cascading !== false && options.orphanDependents !== true,
        gracePeriodSeconds: typeof grace === 'number' ? grace : undefined,
        allowNothingSelected: input.allowNothingSelected === true,
      };
    },
    validate(description, errors) {
      if (description.selectors && description.selectors.length > 0) {
        const account = validateAccount(runtime, description.account, errors);
        if (!description.location) errors.reject('location', 'empty', 'location is required when deleting by label selector');
        if (description.kinds.length === 0) errors.reject('kinds', 'empty', 'kinds is required when deleting by label selector');
        description.kinds.forEach((k, i) => {
          if (account && !findKind(account.knownKinds, k)) errors.reject(`kinds[${i}]`, 'invalid', `"${k}" is not a kind account ${account.name} knows`);
        });
        description.selectors.forEach((s, i) => {
          if (!SELECTOR_KINDS.includes(s?.kind))
            errors.reject(`labelSelectors.selectors[${i}].kind`, 'invalid', `kind must be one of ${SELECTOR_KINDS.join(', ')}`);
          if (!s?.key) errors.reject(`labelSelectors.selectors[${i}].key`, 'empty', 'key is required');
        });
      } else validateTarget(runtime, description, errors);
      if (description.gracePeriodSeconds !== undefined && description.gracePeriodSeconds < 0)
        errors.reject('options.gracePeriodSeconds', 'invalid', 'gracePeriodSeconds must be ≥ 0');
    },
    async run(description, { task }) {
      const propagationPolicy = description.cascading ? 'Background' : 'Orphan';
      const options = definedOnly({ propagationPolicy, gracePeriodSeconds: description.gracePeriodSeconds });
      const deleted: { namespace: string | undefined; displayName: string }[] = [];
      if (description.selectors && description.selectors.length > 0) {
        const account = runtime.account(description.account)!;
        const client = runtime.client(account.name);
        const query = labelSelectorQuery(description.selectors);
        await task.updateStatus('DELETE', `Deleting ${description.kinds.join(', ')} matching "${query}" in ${description.location}`);
        for (const kindName of description.kinds) {
          const kind = findKind(account.knownKinds, kindName) as KubernetesKind;
          const namespace = kind.namespaced ? description.location : undefined;
          const { items } = await client.list(kind, namespace, query);
          for (const item of items) {
            await client.delete(kind, namespace, item.metadata!.name, options);
            deleted.push({ namespace, displayName: manifestDisplayName(kind, item.metadata!.name) });
            await task.addOutput({
              manifest: manifestDisplayName(kind, item.metadata!.name),
              phase: 'DELETE',
              stdOut: `${kubectlName(kind, item.metadata!.name)} deleted`,
              stdError: '',
            });
          }
        }
        if (deleted.length === 0 && !description.allowNothingSelected)
          throw new Error(`no manifests of ${description.kinds.join(', ')} matched "${query}" in ${description.location}`);
      } else {
        const target = resolveTarget(runtime, description);
        const display = manifestDisplayName(target.kind, target.name);
        await task.updateStatus('DELETE', `Deleting ${display} in ${target.namespace} (${propagationPolicy.toLowerCase()} propagation)`);
        await target.client.delete(target.kind, target.namespace, target.name, options);
        deleted.push({ namespace: target.namespace, displayName: display });
        await task.addOutput({ manifest: display, phase: 'DELETE', stdOut: `${kubectlName(target.kind, target.name)} deleted`, stdError: '' });
      }
      await task.updateStatus('DELETE', `Deleted ${deleted.length} manifest(s)`);
      return resultFor(deleted);
    },
  });
}
