/** What the provider knows about one resource kind. */
export interface KubernetesKind {
  /** The API kind, e.g. `Deployment`. */
  readonly kind: string;
  /** `apps/v1`, `v1`, `stable.example.com/v1`. */
  readonly apiVersion: string;
  /** The API group, `''` for core. */
  readonly group: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /**
   * The CATS type and key segment, as Clouddriver's `KubernetesKind.toString()`: lowerCamel for
   * built-ins (`replicaSet`), `<lowercase kind>.<group>` for custom resources (`crontab.stable.example.com`).
   */
  readonly cacheType: string;
  /** Clouddriver's spinnaker kind: what the kind is to the generic read API. */
  readonly spinnakerKind: 'serverGroups' | 'serverGroupManagers' | 'loadBalancers' | 'instances' | 'configs' | 'unclassified';
}

const builtIn = (
  kind: string,
  apiVersion: string,
  plural: string,
  cacheType: string,
  spinnakerKind: KubernetesKind['spinnakerKind'],
  namespaced = true,
): KubernetesKind => ({
  kind,
  apiVersion,
  group: apiVersion.includes('/') ? apiVersion.split('/')[0]! : '',
  plural,
  namespaced,
  cacheType,
  spinnakerKind,
});

/** The kinds cached by default (Clouddriver's core kinds that the fake and most clusters serve). */
export const BUILT_IN_KINDS: readonly KubernetesKind[] = [
  builtIn('Deployment', 'apps/v1', 'deployments', 'deployment', 'serverGroupManagers'),
  builtIn('ReplicaSet', 'apps/v1', 'replicasets', 'replicaSet', 'serverGroups'),
  builtIn('StatefulSet', 'apps/v1', 'statefulsets', 'statefulSet', 'serverGroups'),
  builtIn('DaemonSet', 'apps/v1', 'daemonsets', 'daemonSet', 'serverGroups'),
  builtIn('Pod', 'v1', 'pods', 'pod', 'instances'),
  builtIn('Service', 'v1', 'services', 'service', 'loadBalancers'),
  builtIn('Ingress', 'networking.k8s.io/v1', 'ingresses', 'ingress', 'loadBalancers'),
  builtIn('ConfigMap', 'v1', 'configmaps', 'configMap', 'configs'),
  builtIn('Secret', 'v1', 'secrets', 'secret', 'configs'),
];

export const NAMESPACE_KIND: KubernetesKind = builtIn('Namespace', 'v1', 'namespaces', 'namespace', 'unclassified', false);

/**
 * batch/v1 Jobs: addressable by operations (`runJob`, `deployManifest`) and read live by the job
 * endpoints, not cached (a Job's status is only ever read live, as Clouddriver's job provider does).
 */
export const JOB_KIND: KubernetesKind = builtIn('Job', 'batch/v1', 'jobs', 'job', 'unclassified');

/** Core v1 Events: read live for manifest views, never cached. */
export const EVENT_KIND: KubernetesKind = builtIn('Event', 'v1', 'events', 'event', 'unclassified');

/** A custom resource as an account's `customResources[]` entry declares it. */
export interface CustomResourceDefinition {
  /** `CronTab.stable.example.com` (kind.group), as Clouddriver's `kubernetesKind`. */
  readonly kubernetesKind: string;
  /** The version to talk to; `v1` when absent. */
  readonly version?: string;
  /** The plural resource name; `<lowercase kind>s` when absent. */
  readonly plural?: string;
  readonly namespaced?: boolean;
  readonly spinnakerKind?: KubernetesKind['spinnakerKind'];
}

export function customKind(definition: CustomResourceDefinition): KubernetesKind {
  const dot = definition.kubernetesKind.indexOf('.');
  if (dot <= 0) throw new Error(`customResources.kubernetesKind "${definition.kubernetesKind}" must be <Kind>.<group>`);
  const kind = definition.kubernetesKind.slice(0, dot);
  const group = definition.kubernetesKind.slice(dot + 1);
  const version = definition.version ?? 'v1';
  return {
    kind,
    apiVersion: `${group}/${version}`,
    group,
    plural: definition.plural ?? `${kind.toLowerCase()}s`,
    namespaced: definition.namespaced ?? true,
    cacheType: `${kind.toLowerCase()}.${group}`,
    spinnakerKind: definition.spinnakerKind ?? 'unclassified',
  };
}

/**
 * Finds a kind by what users write in `{kind} {name}` coordinates: `deployment`, `Deployment`,
 * `deploy`, `replicaSet`, `rs`, `crontab.stable.example.com`, `CronTab.stable.example.com`.
 */
export function findKind(kinds: readonly KubernetesKind[], name: string): KubernetesKind | undefined {
  const wanted = name.toLowerCase();
  const aliases: Record<string, string> = {
    deploy: 'deployment',
    rs: 'replicaset',
    sts: 'statefulset',
    ds: 'daemonset',
    po: 'pod',
    svc: 'service',
    ing: 'ingress',
    cm: 'configmap',
    ns: 'namespace',
  };
  const resolved = aliases[wanted] ?? wanted;
  return [...kinds, NAMESPACE_KIND, JOB_KIND].find(
    (k) =>
      k.cacheType.toLowerCase() === resolved || k.kind.toLowerCase() === resolved || `${k.kind}.${k.group}`.toLowerCase() === resolved || k.plural === resolved,
  );
}

/**
 * The kind of a manifest by its `kind` and `apiVersion` group; falls back to the kind alone (then
 * the caller reports an apiVersion mismatch).
 */
export function kindOfManifest(kinds: readonly KubernetesKind[], manifest: { kind?: string; apiVersion?: string }): KubernetesKind | undefined {
  const group = manifest.apiVersion?.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  const all = [...kinds, NAMESPACE_KIND, JOB_KIND];
  return all.find((k) => k.kind === manifest.kind && k.group === group) ?? all.find((k) => k.kind === manifest.kind);
}

/** `apiextensions.k8s.io/v1` CustomResourceDefinitions: listed (never cached) to find custom kinds. */
export const CUSTOM_RESOURCE_DEFINITION_KIND: KubernetesKind = builtIn(
  'CustomResourceDefinition',
  'apiextensions.k8s.io/v1',
  'customresourcedefinitions',
  'customResourceDefinition',
  'unclassified',
  false,
);

/**
 * Other group versions a built-in kind may be served on, most wanted first: Ingress moved from
 * `extensions/v1beta1` through `networking.k8s.io/v1beta1` to `networking.k8s.io/v1` (1.19), and
 * clusters of every age are still in the field.
 */
export const ALTERNATIVE_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  ingress: ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'],
};

/** What `kindOfCrd` reads of a CustomResourceDefinition: it comes from the cluster, so every field is checked. */
interface CrdFields {
  readonly kind?: unknown;
  readonly spec?: {
    readonly group?: unknown;
    readonly scope?: unknown;
    readonly names?: { readonly kind?: unknown; readonly plural?: unknown };
    readonly versions?: unknown;
  };
}

const isServedVersion = (v: unknown): v is { name: string; storage?: unknown } =>
  typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && (v as { served?: unknown }).served !== false;

/** The kind a CustomResourceDefinition object declares, on its storage version (or first served one). */
export function kindOfCrd(crd: CrdFields): KubernetesKind | undefined {
  const spec = crd.spec ?? {};
  const kind = spec.names?.kind;
  const plural = spec.names?.plural;
  if (typeof spec.group !== 'string' || typeof kind !== 'string' || typeof plural !== 'string') return undefined;
  const served = (Array.isArray(spec.versions) ? (spec.versions as unknown[]) : []).filter(isServedVersion);
  const version = (served.find((v) => v.storage) ?? served[0])?.name;
  if (!version) return undefined;
  return {
    kind,
    apiVersion: `${spec.group}/${version}`,
    group: spec.group,
    plural,
    namespaced: spec.scope !== 'Cluster',
    cacheType: `${kind.toLowerCase()}.${spec.group}`,
    spinnakerKind: 'unclassified',
  };
}
