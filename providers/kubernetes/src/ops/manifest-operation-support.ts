import type { AtomicOperation, DescriptionValidator, OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { accountCoversNamespace, type KubernetesAccount } from '../accounts/kubernetes-account.js';
import type { KubernetesClient } from '../kubernetes-client.js';
import { findKind, type KubernetesKind } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';

/** Fields every manifest operation on one named manifest carries. */
export interface ManifestTargetDescription {
  readonly account: string;
  /** `<kind> <name>`, e.g. `deployment web`. */
  readonly manifestName: string;
  /** The namespace (Clouddriver's `location`); `_` or empty for cluster-scoped kinds. */
  readonly location: string;
  readonly raw: Record<string, unknown>;
}

/** A resolved target: account, client, kind, namespace and name. */
export interface ManifestTarget {
  readonly account: KubernetesAccount;
  readonly client: KubernetesClient;
  readonly kind: KubernetesKind;
  readonly namespace: string | undefined;
  readonly name: string;
}

export const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));

/** Reads the common target fields (account from `account`, `credentials` or `accountName`). */
export function targetFields(input: Record<string, unknown>): ManifestTargetDescription {
  return {
    account: str(input.account ?? input.credentials ?? input.accountName),
    manifestName: str(input.manifestName),
    location: str(input.location ?? input.namespace),
    raw: input,
  };
}

/** Splits `deployment web` into kind and name. */
export function splitManifestName(manifestName: string): { kindName: string; name: string } | undefined {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(manifestName);
  return match ? { kindName: match[1]!, name: match[2]! } : undefined;
}

/** Validates the account field: present and a configured Kubernetes account. */
export function validateAccount(runtime: KubernetesRuntime, account: string, errors: ValidationErrors): KubernetesAccount | undefined {
  if (!account) {
    errors.reject('account', 'empty', 'account is required');
    return undefined;
  }
  const found = runtime.account(account);
  if (!found) errors.reject('account', 'notFound', `account "${account}" is not a configured Kubernetes account`);
  return found;
}

/** Validates account, `manifestName` (`<kind> <name>` of a known kind, optionally one of `allowedKinds`) and `location`. */
export function validateTarget(
  runtime: KubernetesRuntime,
  description: ManifestTargetDescription,
  errors: ValidationErrors,
  allowedKinds?: readonly string[],
): void {
  const account = validateAccount(runtime, description.account, errors);
  const parsed = splitManifestName(description.manifestName);
  if (!parsed) {
    errors.reject('manifestName', description.manifestName ? 'invalid' : 'empty', 'manifestName must be "<kind> <name>", e.g. "deployment web"');
    return;
  }
  if (!account) return;
  const kind = findKind(account.knownKinds, parsed.kindName);
  if (!kind) {
    errors.reject('manifestName', 'invalid', `"${parsed.kindName}" is not a kind account ${account.name} knows`);
    return;
  }
  if (allowedKinds && !allowedKinds.includes(kind.kind)) {
    errors.reject('manifestName', 'invalid', `this operation supports ${allowedKinds.join(', ')}, not ${kind.kind}`);
  }
  if (kind.namespaced && !accountCoversNamespace(account, namespaceOf(description.location))) {
    errors.reject('location', 'invalid', `namespace "${description.location}" is not covered by account ${account.name}`);
  }
}

function namespaceOf(location: string): string | undefined {
  return location === '' || location === '_' ? undefined : location;
}

/** Resolves a validated description to a target. */
export function resolveTarget(runtime: KubernetesRuntime, description: ManifestTargetDescription): ManifestTarget {
  const account = runtime.account(description.account);
  if (!account) throw new Error(`account "${description.account}" is not a configured Kubernetes account`);
  const parsed = splitManifestName(description.manifestName);
  if (!parsed) throw new Error(`manifestName "${description.manifestName}" must be "<kind> <name>"`);
  const kind = findKind(account.knownKinds, parsed.kindName);
  if (!kind) throw new Error(`"${parsed.kindName}" is not a kind account ${account.name} knows`);
  const namespace = kind.namespaced ? (namespaceOf(description.location) ?? 'default') : undefined;
  return { account, client: runtime.client(account.name), kind, namespace, name: parsed.name };
}

/** `kind name` as Clouddriver prints manifest names. */
export const manifestDisplayName = (kind: KubernetesKind, name: string) => `${kind.cacheType} ${name}`;

/** kubectl-style output line, e.g. `deployment.apps/web scaled`. */
export const kubectlName = (kind: KubernetesKind, name: string) => `${kind.kind.toLowerCase()}${kind.group ? '.' + kind.group : ''}/${name}`;

/** The common operation result (`OperationResult` in Clouddriver). */
export interface ManifestOperationResult {
  readonly manifestNamesByNamespace: Record<string, string[]>;
  readonly manifests: Record<string, unknown>[];
  readonly createdArtifacts: Record<string, unknown>[];
  readonly boundArtifacts: Record<string, unknown>[];
}

/**
 * A manifest fit for a task result, which anyone reading the task sees: a Secret's `data` (and
 * `stringData`) removed, as Clouddriver's handlers remove their sensitive keys.
 */
export function withoutSensitiveKeys<T extends Record<string, unknown>>(manifest: T): T {
  if (manifest.kind !== 'Secret') return manifest;
  const { data: _data, stringData: _stringData, ...rest } = manifest;
  return rest as T;
}

export function resultFor(entries: { namespace: string | undefined; displayName: string; manifest?: Record<string, unknown> }[]): ManifestOperationResult {
  const manifestNamesByNamespace: Record<string, string[]> = {};
  for (const entry of entries) (manifestNamesByNamespace[entry.namespace ?? ''] ??= []).push(entry.displayName);
  return {
    manifestNamesByNamespace,
    manifests: entries.flatMap((e) => (e.manifest ? [withoutSensitiveKeys(e.manifest)] : [])),
    createdArtifacts: [],
    boundArtifacts: [],
  };
}

/**
 * Builds an operation definition over one description type: `convert` reads the raw map (it never
 * throws for bad values; `validate` names bad fields), `run` does the work and touches the account
 * so its watches start (the account is in use).
 */
export function manifestOperation<D extends { readonly account: string }>(
  runtime: KubernetesRuntime,
  spec: {
    name: string;
    convert(input: Record<string, unknown>): D;
    validate(description: D, errors: ValidationErrors): void;
    run(description: D, context: OperationContext): Promise<unknown>;
    applicationsOf?(description: D): string[];
    /** `run` records its progress with `runStep`, so another replica can continue it (docs/operator-guide.md). */
    resumable?: boolean;
  },
): OperationDefinition<D> {
  const validator: DescriptionValidator<D> = { validate: (description, errors) => spec.validate(description, errors) };
  return {
    name: spec.name,
    converter: {
      convertDescription: (input) => spec.convert(input ?? {}),
      convertOperation: (description): AtomicOperation => ({
        ...(spec.resumable ? { resumable: true } : {}),
        operate: async (_prior, context) => {
          try {
            return await spec.run(description, context);
          } finally {
            runtime.touch(description.account);
          }
        },
      }),
    },
    validator,
    accountsOf: (description) => (description.account ? [description.account] : []),
    ...(spec.applicationsOf ? { applicationsOf: spec.applicationsOf } : {}),
  };
}
