import type { AccountCredentials, AccountPermissions } from '@stratus/plugin-api';
import { BUILT_IN_KINDS, customKind, findKind, type CustomResourceDefinition, type KubernetesKind } from '../kubernetes-kind.js';
import { parseRawResourcesEndpointConfig, type RawResourcesEndpointConfig } from './raw-resources-config.js';

/** One `kubernetes.accounts[]` entry, validated. The kubeconfig contents stay out of JSON. */
export interface KubernetesAccount extends AccountCredentials {
  readonly cloudProvider: 'kubernetes';
  readonly context?: string;
  readonly kubeconfigFile?: string;
  /** Non-enumerable: never serialised into `/credentials`. */
  readonly kubeconfigContents?: string;
  /** Namespaces to cache and accept; empty means every namespace (discovered lazily). */
  readonly namespaces: readonly string[];
  readonly omitNamespaces: readonly string[];
  readonly kinds: readonly string[];
  readonly omitKinds: readonly string[];
  readonly customResources: readonly CustomResourceDefinition[];
  readonly onlySpinnakerManaged: boolean;
  /** Also cache the kinds of every CustomResourceDefinition the cluster serves (found at each relist). */
  readonly cacheAllCustomResources: boolean;
  readonly cacheIntervalSeconds: number;
  /** The kinds this account caches (kinds/omitKinds/customResources applied). Non-enumerable. */
  readonly cachedKinds: readonly KubernetesKind[];
  /** Every kind this account can address in operations and manifest reads. Non-enumerable. */
  readonly knownKinds: readonly KubernetesKind[];
  /** Which kinds `/applications/{app}/rawResources` shows. Non-enumerable. */
  readonly rawResources?: RawResourcesEndpointConfig;
}

const FIELDS = new Set([
  'name',
  'context',
  'kubeconfigFile',
  'kubeconfigContents',
  'namespaces',
  'omitNamespaces',
  'kinds',
  'omitKinds',
  'customResources',
  'onlySpinnakerManaged',
  'permissions',
  'environment',
  'accountType',
  'cacheIntervalSeconds',
  'requiredGroupMembership',
  'enabled',
  'providerVersion',
  'serviceAccount',
  'cacheThreads',
  'namingStrategy',
  'kubectlExecutable',
  'kubectlRequestTimeoutSeconds',
  'checkPermissionsOnStartup',
  'cachingPolicies',
  'cacheAllApplicationRelationships',
  'metrics',
  'rawResourcesEndpointConfig',
  'primaryAccount',
  'challengeDestructiveActions',
  'cacheAllCustomResources',
  // Halyard writes these into every Kubernetes account of a clouddriver.yml; Stratus has no use for them.
  'dockerRegistries',
  'liveManifestCalls',
  'oAuthServiceAccount',
  'oAuthScopes',
  'debug',
]);

function stringList(raw: Record<string, unknown>, field: string): string[] {
  const value = raw[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    throw new Error(`${field} must be a list of non-empty strings`);
  }
  return value as string[];
}

function optionalString(raw: Record<string, unknown>, field: string): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} must be a non-empty string`);
  return value;
}

function permissionsOf(raw: Record<string, unknown>): AccountPermissions | undefined {
  const value = raw.permissions;
  if (value === undefined || value === null) {
    const groups = stringList(raw, 'requiredGroupMembership');
    return groups.length > 0 ? { READ: groups, WRITE: groups } : undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('permissions must be a map of READ/WRITE/EXECUTE role lists');
  const out: Record<string, string[]> = {};
  for (const [key, roles] of Object.entries(value as Record<string, unknown>)) {
    if (!['READ', 'WRITE', 'EXECUTE'].includes(key)) throw new Error(`permissions.${key} is not one of READ, WRITE, EXECUTE`);
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) throw new Error(`permissions.${key} must be a list of roles`);
    out[key] = roles as string[];
  }
  return out;
}

/**
 * Validates one raw account definition, naming the bad field in the error. Unknown fields are
 * rejected so typos (`namespace:` for `namespaces:`) do not silently cache the whole cluster.
 */
export function parseKubernetesAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): KubernetesAccount {
  const merged = { ...defaults, ...raw };
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) throw new Error(`${key} is not a Kubernetes account field`);
  const name = merged.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
    throw new Error('name must be a non-empty string of letters, digits, ".", "_" or "-"');
  const kubeconfigFile = optionalString(merged, 'kubeconfigFile');
  const kubeconfigContents = optionalString(merged, 'kubeconfigContents');
  if (kubeconfigFile && kubeconfigContents) throw new Error('kubeconfigFile and kubeconfigContents are mutually exclusive');
  if (!kubeconfigFile && !kubeconfigContents) throw new Error('kubeconfigFile or kubeconfigContents is required');
  const namespaces = stringList(merged, 'namespaces');
  const omitNamespaces = stringList(merged, 'omitNamespaces');
  if (namespaces.length > 0 && omitNamespaces.length > 0) throw new Error('namespaces and omitNamespaces are mutually exclusive');
  const kinds = stringList(merged, 'kinds');
  const omitKinds = stringList(merged, 'omitKinds');
  if (kinds.length > 0 && omitKinds.length > 0) throw new Error('kinds and omitKinds are mutually exclusive');

  const rawCustom = merged.customResources ?? [];
  if (!Array.isArray(rawCustom)) throw new Error('customResources must be a list');
  const customResources = rawCustom.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || typeof (entry as CustomResourceDefinition).kubernetesKind !== 'string') {
      throw new Error(`customResources[${index}].kubernetesKind is required`);
    }
    try {
      customKind(entry as CustomResourceDefinition);
    } catch (error) {
      throw new Error(`customResources[${index}]: ${(error as Error).message}`, { cause: error });
    }
    return entry as CustomResourceDefinition;
  });
  const knownKinds = [...BUILT_IN_KINDS, ...customResources.map(customKind)];
  for (const [field, list] of [
    ['kinds', kinds],
    ['omitKinds', omitKinds],
  ] as const) {
    list.forEach((k, index) => {
      if (!findKind(knownKinds, k)) throw new Error(`${field}[${index}] "${k}" is not a known kind (add it to customResources)`);
    });
  }
  const cachedKinds = knownKinds.filter((k) => {
    if (kinds.length > 0) return kinds.some((wanted) => findKind([k], wanted) === k);
    return !omitKinds.some((omitted) => findKind([k], omitted) === k);
  });

  const interval = merged.cacheIntervalSeconds ?? 30;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 1) throw new Error('cacheIntervalSeconds must be a number ≥ 1');
  const onlySpinnakerManaged = merged.onlySpinnakerManaged ?? false;
  if (typeof onlySpinnakerManaged !== 'boolean') throw new Error('onlySpinnakerManaged must be true or false');
  const cacheAllCustomResources = merged.cacheAllCustomResources ?? false;
  if (typeof cacheAllCustomResources !== 'boolean') throw new Error('cacheAllCustomResources must be true or false');
  const environment = optionalString(merged, 'environment') ?? name;
  const permissions = permissionsOf(merged);

  const account: Record<string, unknown> = {
    name,
    cloudProvider: 'kubernetes',
    type: 'kubernetes',
    accountType: optionalString(merged, 'accountType') ?? name,
    environment,
    providerVersion: 'v2',
    ...(permissions ? { permissions } : {}),
    ...(Array.isArray(merged.requiredGroupMembership) ? { requiredGroupMembership: merged.requiredGroupMembership } : {}),
    ...(optionalString(merged, 'context') ? { context: merged.context } : {}),
    ...(kubeconfigFile ? { kubeconfigFile } : {}),
    namespaces,
    omitNamespaces,
    kinds,
    omitKinds,
    customResources,
    onlySpinnakerManaged,
    cacheAllCustomResources,
    cacheIntervalSeconds: interval,
  };
  Object.defineProperty(account, 'kubeconfigContents', { value: kubeconfigContents, enumerable: false });
  Object.defineProperty(account, 'cachedKinds', { value: cachedKinds, enumerable: false });
  Object.defineProperty(account, 'knownKinds', { value: knownKinds, enumerable: false });
  Object.defineProperty(account, 'rawResources', { value: parseRawResourcesEndpointConfig(merged.rawResourcesEndpointConfig), enumerable: false });
  return account as unknown as KubernetesAccount;
}

/** Whether the account covers a namespace (namespaces / omitNamespaces applied). */
export function accountCoversNamespace(account: KubernetesAccount, namespace: string | undefined): boolean {
  if (namespace === undefined || namespace === '') return true;
  if (account.namespaces.length > 0) return account.namespaces.includes(namespace);
  return !account.omitNamespaces.includes(namespace);
}
