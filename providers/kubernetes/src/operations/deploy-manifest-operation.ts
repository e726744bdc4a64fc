import { runStep, type OperationContext, type OperationDefinition } from '@stratus/plugin-api';
import { accountCoversNamespace, type KubernetesAccount } from '../kubernetes-account.js';
import type { KubernetesClient, Manifest } from '../kubernetes-client.js';
import { BUILT_IN_KINDS, kindOfManifest, type KubernetesKind } from '../kubernetes-kind.js';
import {
  APP_NAME_LABEL,
  MANAGED_BY_LABEL,
  MONIKER_APPLICATION,
  MONIKER_CLUSTER,
  MONIKER_DETAIL,
  MONIKER_SEQUENCE,
  MONIKER_STACK,
} from '../kubernetes-moniker.js';
import type { KubernetesRuntime } from '../kubernetes-runtime.js';
import { kubectlName, manifestDisplayName, manifestOperation, str, validateAccount, type ManifestOperationResult } from './manifest-operation-support.js';
import { LOAD_BALANCERS_ANNOTATION } from './traffic-manifest-operation.js';

export interface DeployManifestDescription {
  readonly account: string;
  readonly manifests: readonly unknown[];
  readonly moniker: { readonly app?: string; readonly cluster?: string; readonly stack?: string; readonly detail?: string };
  readonly namespaceOverride?: string;
  /** Overrides the per-kind default (ReplicaSet, ConfigMap and Secret are versioned). */
  readonly versioned?: boolean;
  /** Whether to rewrite references to versioned ConfigMaps/Secrets deployed together (default true). */
  readonly enableArtifactBinding: boolean;
  /** `service <name>` entries routing to the deployed ReplicaSets (Orca's `trafficManagement.options.services`). */
  readonly services: readonly string[];
  /** Whether the new ReplicaSets receive traffic at once (default true when `services` is set). */
  readonly enableTraffic: boolean;
}

const PHASE = 'DEPLOY_KUBERNETES_MANIFEST';
const VERSIONED_BY_DEFAULT = new Set(['ReplicaSet', 'ConfigMap', 'Secret']);
const ORDER: Record<string, number> = { Namespace: 0, ConfigMap: 10, Secret: 10, Service: 20, Ingress: 60 };
const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod']);
const SERVICE_KIND = BUILT_IN_KINDS.find((k) => k.kind === 'Service')!;
const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface PlannedManifest {
  readonly kind: KubernetesKind;
  readonly namespace: string | undefined;
  readonly baseName: string;
  manifest: Manifest;
  version?: string;
}

/** The content that decides whether a versioned manifest changed (everything but bookkeeping). */
function contentOf(manifest: Manifest): string {
  const { metadata, status, ...rest } = manifest;
  const annotations = { ...(metadata?.annotations ?? {}) };
  for (const key of Object.keys(annotations)) if (key.startsWith('artifact.spinnaker.io/') || key === MONIKER_SEQUENCE || key.startsWith('deployment.kubernetes.io/')) delete annotations[key];
  void status;
  return JSON.stringify(sortKeys({ rest, labels: metadata?.labels ?? {}, annotations }));
}

/** Key order carries no meaning in a manifest (a patch may reorder labels), so compare sorted. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

function annotate(manifest: Manifest, annotations: Record<string, string>, labels: Record<string, string>): void {
  manifest.metadata = { ...manifest.metadata, annotations: { ...(manifest.metadata?.annotations ?? {}), ...annotations }, labels: { ...(manifest.metadata?.labels ?? {}), ...labels } };
  const template = manifest.spec?.template;
  if (WORKLOADS.has(String(manifest.kind)) && isObject(template)) {
    template.metadata = { ...template.metadata, annotations: { ...(template.metadata?.annotations ?? {}), ...annotations }, labels: { ...(template.metadata?.labels ?? {}), ...labels } };
  }
}

/** Rewrites references to ConfigMaps/Secrets named in `bindings` (`configMap|base` → versioned name) inside pod specs. */
function bindReferences(manifest: Manifest, bindings: Map<string, string>, used: Set<string>): void {
  const spec = manifest.kind === 'Pod' ? manifest.spec : manifest.spec?.template?.spec;
  if (!isObject(spec)) return;
  const swap = (type: 'configMap' | 'secret', holder: Record<string, any> | undefined, field: string) => {
    const name = holder?.[field];
    const bound = typeof name === 'string' ? bindings.get(`${type}|${name}`) : undefined;
    if (bound && holder) {
      holder[field] = bound;
      used.add(`${type}|${name}`);
    }
  };
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const env of container.env ?? []) {
      swap('configMap', env.valueFrom?.configMapKeyRef, 'name');
      swap('secret', env.valueFrom?.secretKeyRef, 'name');
    }
    for (const from of container.envFrom ?? []) {
      swap('configMap', from.configMapRef, 'name');
      swap('secret', from.secretRef, 'name');
    }
  }
  for (const volume of spec.volumes ?? []) {
    swap('configMap', volume.configMap, 'name');
    swap('secret', volume.secret, 'secretName');
  }
}

async function chooseVersion(client: KubernetesClient, planned: PlannedManifest): Promise<{ name: string; version: string; reused: boolean }> {
  const { items } = await client.list(planned.kind, planned.namespace);
  const pattern = new RegExp(`^${planned.baseName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-v(\\d{3,})$`);
  const versions = items
    .map((item) => ({ item, sequence: Number(pattern.exec(String(item.metadata?.name))?.[1] ?? NaN) }))
    .filter((v) => !Number.isNaN(v.sequence))
    .sort((a, b) => b.sequence - a.sequence);
  const latest = versions[0];
  if (latest) {
    const candidate = structuredClone(planned.manifest);
    candidate.metadata!.name = latest.item.metadata!.name;
    if (contentOf(latest.item) === contentOf(candidate)) {
      return { name: latest.item.metadata!.name, version: `v${String(latest.sequence).padStart(3, '0')}`, reused: true };
    }
  }
  const next = latest ? latest.sequence + 1 : 0;
  const version = `v${String(next).padStart(3, '0')}`;
  return { name: `${planned.baseName}-${version}`, version, reused: false };
}

/**
 * `deployManifest`: applies every manifest (namespaces, then configs, services, workloads,
 * ingresses), stamping moniker annotations and app labels; versions ReplicaSets, ConfigMaps and
 * Secrets as `<name>-vNNN` (reusing the latest version when nothing changed) and binds references
 * to versioned ConfigMaps/Secrets deployed together. Result: Clouddriver's `OperationResult`.
 */
export function deployManifestOperation(runtime: KubernetesRuntime): OperationDefinition<DeployManifestDescription> {
  return manifestOperation(runtime, {
    name: 'deployManifest',
    convert(input) {
      const moniker = isObject(input.moniker) ? input.moniker : {};
      const traffic = isObject(input.trafficManagement) && input.trafficManagement.enabled !== false && isObject(input.trafficManagement.options) ? input.trafficManagement.options : {};
      const services = input.services ?? traffic.services;
      const enableTraffic = input.enableTraffic ?? traffic.enableTraffic;
      let manifests = Array.isArray(input.manifests) ? input.manifests : input.manifest !== undefined ? [input.manifest] : [];
      // A `List` document deploys its items.
      manifests = manifests.flatMap((m) => (isObject(m) && m.kind === 'List' && Array.isArray(m.items) ? m.items : [m]));
      return {
        account: str(input.account ?? input.credentials ?? input.accountName),
        manifests,
        moniker: { app: moniker.app === undefined ? undefined : str(moniker.app), cluster: moniker.cluster ? str(moniker.cluster) : undefined, stack: moniker.stack ? str(moniker.stack) : undefined, detail: moniker.detail ? str(moniker.detail) : undefined },
        namespaceOverride: input.namespaceOverride ? str(input.namespaceOverride) : undefined,
        versioned: typeof input.versioned === 'boolean' ? input.versioned : undefined,
        enableArtifactBinding: input.enableArtifactBinding !== false,
        services: Array.isArray(services) ? services.map(str) : [],
        enableTraffic: enableTraffic !== false,
      };
    },
    validate(description, errors) {
      const account = validateAccount(runtime, description.account, errors);
      if (!description.moniker.app) errors.reject('moniker.app', 'empty', 'moniker.app (the application) is required');
      else if (!/^[A-Za-z0-9._-]+$/.test(description.moniker.app)) errors.reject('moniker.app', 'invalid', 'moniker.app may contain letters, digits, ".", "_" and "-"');
      if (description.manifests.length === 0) errors.reject('manifests', 'empty', 'at least one manifest is required');
      description.services.forEach((service, i) => {
        if (!/^service\s+\S+$/.test(service)) errors.reject(`services[${i}]`, 'invalid', 'services must be "service <name>"');
      });
      if (description.services.length > 0 && description.manifests.some((m) => isObject(m) && WORKLOADS.has(String(m.kind)) && m.kind !== 'ReplicaSet')) {
        errors.reject('services', 'invalid', 'traffic management is only supported for ReplicaSets');
      }
      description.manifests.forEach((manifest, i) => {
        const field = `manifests[${i}]`;
        if (!isObject(manifest)) return errors.reject(field, 'invalid', 'each manifest must be an object');
        if (!manifest.apiVersion) errors.reject(`${field}.apiVersion`, 'empty', 'apiVersion is required');
        if (!manifest.kind) return errors.reject(`${field}.kind`, 'empty', 'kind is required');
        if (!isObject(manifest.metadata) || !manifest.metadata.name) errors.reject(`${field}.metadata.name`, 'empty', 'metadata.name is required');
        else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(manifest.metadata.name))) errors.reject(`${field}.metadata.name`, 'invalid', 'metadata.name must be a lowercase DNS-1123 name');
        if (!account) return;
        const kind = kindOfManifest(account.knownKinds, manifest);
        if (!kind) return errors.reject(`${field}.kind`, 'invalid', `kind ${manifest.kind} (${manifest.apiVersion}) is not known to account ${account.name}; declare it in customResources`);
        if (manifest.apiVersion && manifest.apiVersion !== kind.apiVersion) errors.reject(`${field}.apiVersion`, 'invalid', `${manifest.kind} is served as ${kind.apiVersion}, not ${manifest.apiVersion}`);
        const namespace = description.namespaceOverride ?? manifest.metadata?.namespace;
        if (kind.namespaced && namespace && !accountCoversNamespace(account, namespace)) {
          errors.reject(description.namespaceOverride ? 'namespaceOverride' : `${field}.metadata.namespace`, 'invalid', `namespace "${namespace}" is not covered by account ${account.name}`);
        }
      });
    },
    applicationsOf: (description) => (description.moniker.app ? [description.moniker.app] : []),
    run: (description, context) => deploy(runtime, description, context),
    resumable: true,
  });
}

/**
 * Resumable: the version chosen for each manifest and each manifest's apply are persisted steps, so a
 * deploy continued on another replica applies the same names and skips what was already applied.
 */
async function deploy(runtime: KubernetesRuntime, description: DeployManifestDescription, context: OperationContext): Promise<ManifestOperationResult> {
  const { task } = context;
  const account = runtime.account(description.account) as KubernetesAccount;
  const client = runtime.client(account.name);
  const app = description.moniker.app!;
  await task.updateStatus(PHASE, `Beginning deployment of ${description.manifests.length} manifest(s) to account ${account.name}`);

  const plan: PlannedManifest[] = (description.manifests as Manifest[]).map((raw) => {
    const manifest = structuredClone(raw);
    const kind = kindOfManifest(account.knownKinds, manifest)!;
    const namespace = kind.namespaced ? (description.namespaceOverride ?? manifest.metadata?.namespace ?? 'default') : undefined;
    manifest.metadata = { ...manifest.metadata, ...(namespace !== undefined ? { namespace } : {}) };
    const cluster = manifest.metadata.annotations?.[MONIKER_CLUSTER] ?? description.moniker.cluster ?? `${kind.cacheType} ${manifest.metadata.name}`;
    const annotations: Record<string, string> = { [MONIKER_APPLICATION]: app, [MONIKER_CLUSTER]: cluster };
    if (description.moniker.stack) annotations[MONIKER_STACK] = description.moniker.stack;
    if (description.moniker.detail) annotations[MONIKER_DETAIL] = description.moniker.detail;
    annotate(manifest, annotations, { [APP_NAME_LABEL]: app, [MANAGED_BY_LABEL]: 'spinnaker' });
    return { kind, namespace, baseName: String(manifest.metadata.name), manifest };
  });
  plan.sort((a, b) => (ORDER[a.kind.kind] ?? (WORKLOADS.has(a.kind.kind) ? 50 : 40)) - (ORDER[b.kind.kind] ?? (WORKLOADS.has(b.kind.kind) ? 50 : 40)));

  if (description.services.length > 0) await manageTraffic(client, plan, description, task);

  // Versioning, then binding of the versioned configs into the workloads deployed with them.
  const bindings = new Map<string, string>();
  const reused = new Set<PlannedManifest>();
  for (const planned of plan) {
    const versioned = description.versioned ?? VERSIONED_BY_DEFAULT.has(planned.kind.kind);
    if (!versioned) continue;
    const choice = await runStep(context, `version:${planned.kind.kind}/${planned.namespace ?? ''}/${planned.baseName}`, () => chooseVersion(client, planned));
    planned.version = choice.version;
    planned.manifest.metadata!.name = choice.name;
    planned.manifest.metadata!.annotations = {
      ...planned.manifest.metadata!.annotations,
      [MONIKER_SEQUENCE]: String(Number(choice.version.slice(1))),
      'artifact.spinnaker.io/version': choice.version,
    };
    if (choice.reused) reused.add(planned);
    if (planned.kind.kind === 'ConfigMap') bindings.set(`configMap|${planned.baseName}`, choice.name);
    if (planned.kind.kind === 'Secret') bindings.set(`secret|${planned.baseName}`, choice.name);
  }
  const used = new Set<string>();
  if (description.enableArtifactBinding) for (const planned of plan) bindReferences(planned.manifest, bindings, used);

  const manifestNamesByNamespace: Record<string, string[]> = {};
  const manifests: Record<string, unknown>[] = [];
  const createdArtifacts: Record<string, unknown>[] = [];
  for (const planned of plan) {
    const name = String(planned.manifest.metadata!.name);
    const display = manifestDisplayName(planned.kind, name);
    const artifactType = `kubernetes/${planned.kind.cacheType}`;
    planned.manifest.metadata!.annotations = {
      ...planned.manifest.metadata!.annotations,
      'artifact.spinnaker.io/name': planned.baseName,
      'artifact.spinnaker.io/type': artifactType,
      'artifact.spinnaker.io/location': planned.namespace ?? '',
    };
    const { applied } = await runStep(context, `apply:${planned.kind.kind}/${planned.namespace ?? ''}/${name}`, async (): Promise<{ applied: Manifest; verb: string }> => {
      let applied: Manifest;
      let verb: string;
      if (reused.has(planned)) {
        await task.updateStatus(PHASE, `${display} is unchanged; reusing it in ${planned.namespace}`);
        applied = (await client.get(planned.kind, planned.namespace, name)) ?? planned.manifest;
        verb = 'unchanged';
      } else {
        await task.updateStatus(PHASE, `Deploying manifest ${display} to ${planned.namespace ?? 'the cluster'}`);
        const existing = await client.get(planned.kind, planned.namespace, name);
        if (existing) {
          const next = structuredClone(planned.manifest);
          next.metadata!.resourceVersion = existing.metadata?.resourceVersion;
          if (planned.kind.kind === 'Service' && existing.spec?.clusterIP && !next.spec?.clusterIP) next.spec = { ...next.spec, clusterIP: existing.spec.clusterIP };
          applied = await client.replace(planned.kind, next);
          verb = 'configured';
        } else {
          applied = await client.create(planned.kind, planned.manifest);
          verb = 'created';
        }
      }
      await task.addOutput({ manifest: display, phase: PHASE, stdOut: `${kubectlName(planned.kind, name)} ${verb}`, stdError: '' });
      return { applied, verb };
    });
    (manifestNamesByNamespace[planned.namespace ?? ''] ??= []).push(display);
    manifests.push(applied);
    createdArtifacts.push({
      type: artifactType,
      name: planned.baseName,
      reference: name,
      location: planned.namespace ?? '',
      ...(planned.version ? { version: planned.version } : {}),
      customKind: !['', 'apps', 'networking.k8s.io'].includes(planned.kind.group),
      metadata: { account: account.name },
    });
  }
  const boundArtifacts = [...used].map((key) => {
    const [type, base] = key.split('|') as [string, string];
    const reference = bindings.get(key)!;
    return { type: `kubernetes/${type}`, name: base, reference, version: reference.slice(base.length + 1), metadata: { account: account.name } };
  });
  await task.updateStatus(PHASE, 'Deploy manifest task completed successfully for manifest(s) ' + Object.values(manifestNamesByNamespace).flat().join(', '));
  return { manifestNamesByNamespace, manifests, createdArtifacts, boundArtifacts };
}

/**
 * Traffic management for the ReplicaSets being deployed: records the Services in the
 * `traffic.spinnaker.io/load-balancers` annotation (what enable/disable use later) and, when
 * traffic is enabled, adds each Service's selector to the pod template labels.
 */
async function manageTraffic(client: KubernetesClient, plan: PlannedManifest[], description: DeployManifestDescription, task: OperationContext['task']): Promise<void> {
  for (const planned of plan.filter((p) => p.kind.kind === 'ReplicaSet')) {
    const labels: Record<string, string> = {};
    for (const entry of description.services) {
      const name = entry.split(/\s+/)[1]!;
      const inRequest = plan.find((p) => p.kind.kind === 'Service' && p.baseName === name && p.namespace === planned.namespace);
      const service = inRequest?.manifest ?? (await client.get(SERVICE_KIND, planned.namespace, name));
      if (!service) throw new Error(`service ${name} does not exist in ${planned.namespace} and is not part of this deployment`);
      const ownSelector: Record<string, string> = planned.manifest.spec?.selector?.matchLabels ?? {};
      for (const [key, value] of Object.entries<string>(service.spec?.selector ?? {})) {
        if (key in ownSelector) throw new Error(`service ${name} selects on "${key}", which is also in the selector of replicaSet ${planned.baseName}`);
        labels[key] = value;
      }
    }
    planned.manifest.metadata!.annotations = { ...planned.manifest.metadata!.annotations, [LOAD_BALANCERS_ANNOTATION]: JSON.stringify(description.services) };
    const template = (planned.manifest.spec ??= {}).template ?? (planned.manifest.spec.template = {});
    template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}) } };
    for (const [key, value] of Object.entries(labels)) {
      if (description.enableTraffic) template.metadata.labels[key] = value;
      else delete template.metadata.labels[key];
    }
    await task.updateStatus(PHASE, `Traffic to replicaSet ${planned.baseName} through ${description.services.join(', ')} is ${description.enableTraffic ? 'enabled' : 'disabled'}`);
  }
}
