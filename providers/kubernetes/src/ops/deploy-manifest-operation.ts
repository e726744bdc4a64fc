/* eslint-disable max-lines -- to split after the dedupe merge (another helper is rewriting providers' ops/ now) */
import { runStep, type OperationContext, type OperationDefinition, type ValidationErrors } from '@stratus/plugin-api';
import { accountCoversNamespace, type KubernetesAccount } from '../accounts/kubernetes-account.js';
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
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { artifactIdentity, artifactKey, artifactListErrors, bindArtifacts, type Artifact } from './artifact-binding.js';
import { manifestsFromArtifact } from './manifests-from-artifact.js';
import {
  kubectlName,
  manifestDisplayName,
  manifestOperation,
  str,
  validateAccount,
  withoutSensitiveKeys,
  type ManifestOperationResult,
} from './manifest-operation-support.js';
import { LOAD_BALANCERS_ANNOTATION } from './traffic-manifest-operation.js';

export interface DeployManifestDescription {
  readonly account: string;
  readonly manifests: readonly unknown[];
  readonly moniker: {
    readonly app?: string | undefined;
    readonly cluster?: string | undefined;
    readonly stack?: string | undefined;
    readonly detail?: string | undefined;
  };
  readonly namespaceOverride?: string | undefined;
  /** Overrides the per-kind default (ReplicaSet, ConfigMap and Secret are versioned). */
  readonly versioned?: boolean | undefined;
  /**
   * Whether `requiredArtifacts` and `optionalArtifacts` bind into the manifests (default true).
   * Versioned ConfigMaps/Secrets deployed together always bind, as in Clouddriver.
   */
  readonly enableArtifactBinding: boolean;
  /** Artifacts the stage names (Orca resolves them); each must bind somewhere, or the deploy fails. */
  readonly requiredArtifacts: readonly Artifact[];
  /** Artifacts of the trigger/execution; bound where they match, ignored otherwise. */
  readonly optionalArtifacts: readonly Artifact[];
  /** The artifact lists as sent, for validation. */
  readonly rawArtifacts?: Record<string, unknown>;
  /** `text` (the manifests are in the request) or `artifact` (read from `manifestArtifact` at run time). */
  readonly source?: string | undefined;
  /** With `source: artifact`: the artifact holding the manifests (or named by `manifestArtifactId`). */
  readonly manifestArtifact?: Artifact;
  /** With `source: artifact`: the artifact account to read it with, when the artifact names none. */
  readonly manifestArtifactAccount?: string;
  /** Orca's traffic strategy (`RED_BLACK`, `BLUE_GREEN`, `HIGHLANDER`, `NONE`); Orca runs it, we only check max-version-history. */
  readonly strategy?: string | undefined;
  /** `service <name>` entries routing to the deployed ReplicaSets (Orca's `trafficManagement.options.services`). */
  readonly services: readonly string[];
  /** Whether the new ReplicaSets receive traffic at once (default true when `services` is set). */
  readonly enableTraffic: boolean;
}

const PHASE = 'DEPLOY_KUBERNETES_MANIFEST';
export const MAX_VERSION_HISTORY_ANNOTATION = 'strategy.spinnaker.io/max-version-history';
const VERSIONED_ANNOTATION = 'strategy.spinnaker.io/versioned';
export const RECREATE_ANNOTATION = 'strategy.spinnaker.io/recreate';
const VERSIONED_BY_DEFAULT = new Set(['ReplicaSet', 'ConfigMap', 'Secret']);
const ORDER: Record<string, number> = { Namespace: 0, ConfigMap: 10, Secret: 10, Service: 20, Ingress: 60 };
const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod', 'Job']);
const SERVICE_KIND = BUILT_IN_KINDS.find((k) => k.kind === 'Service')!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

interface PlannedManifest {
  readonly kind: KubernetesKind;
  readonly namespace: string | undefined;
  /** `metadata.name`, or `metadata.generateName` when the cluster names the object. */
  readonly baseName: string;
  /** The cluster picks the name (`generateName`): always created, never versioned. */
  readonly generated: boolean;
  manifest: Manifest;
  version?: string;
}

/** The content that decides whether a versioned manifest changed (everything but bookkeeping). */
function contentOf(manifest: Manifest): string {
  const { metadata, status, ...rest } = manifest;
  const annotations = { ...(metadata?.annotations ?? {}) };
  for (const key of Object.keys(annotations))
    if (key.startsWith('artifact.spinnaker.io/') || key === MONIKER_SEQUENCE || key.startsWith('deployment.kubernetes.io/')) delete annotations[key];
  void status;
  return JSON.stringify(sortKeys({ rest, labels: metadata?.labels ?? {}, annotations }));
}

/** Key order carries no meaning in a manifest (a patch may reorder labels), so compare sorted. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

function annotate(manifest: Manifest, annotations: Record<string, string>, labels: Record<string, string>): void {
  manifest.metadata = {
    ...manifest.metadata,
    annotations: { ...(manifest.metadata?.annotations ?? {}), ...annotations },
    labels: { ...(manifest.metadata?.labels ?? {}), ...labels },
  };
  const template = manifest.spec?.template;
  if (WORKLOADS.has(String(manifest.kind)) && isObject(template)) {
    template.metadata = {
      ...template.metadata,
      annotations: { ...(template.metadata?.annotations ?? {}), ...annotations },
      labels: { ...(template.metadata?.labels ?? {}), ...labels },
    };
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
      const traffic =
        isObject(input.trafficManagement) && input.trafficManagement.enabled !== false && isObject(input.trafficManagement.options)
          ? input.trafficManagement.options
          : {};
      const services = input.services ?? traffic.services;
      const enableTraffic = input.enableTraffic ?? traffic.enableTraffic;
      let manifests = Array.isArray(input.manifests) ? input.manifests : input.manifest !== undefined ? [input.manifest] : [];
      // A `List` document deploys its items.
      manifests = manifests.flatMap((m) => (isObject(m) && m.kind === 'List' && Array.isArray(m.items) ? m.items : [m]));
      return {
        account: str(input.account ?? input.credentials ?? input.accountName),
        manifests,
        moniker: {
          app: moniker.app === undefined ? undefined : str(moniker.app),
          cluster: moniker.cluster ? str(moniker.cluster) : undefined,
          stack: moniker.stack ? str(moniker.stack) : undefined,
          detail: moniker.detail ? str(moniker.detail) : undefined,
        },
        namespaceOverride: input.namespaceOverride ? str(input.namespaceOverride) : undefined,
        versioned: typeof input.versioned === 'boolean' ? input.versioned : undefined,
        enableArtifactBinding: input.enableArtifactBinding !== false,
        requiredArtifacts: (Array.isArray(input.requiredArtifacts) ? input.requiredArtifacts : []) as Artifact[],
        optionalArtifacts: (Array.isArray(input.optionalArtifacts) ? input.optionalArtifacts : []) as Artifact[],
        rawArtifacts: { requiredArtifacts: input.requiredArtifacts, optionalArtifacts: input.optionalArtifacts },
        source: input.source === undefined || input.source === null ? undefined : str(input.source),
        ...manifestArtifactOf(input),
        strategy: typeof input.strategy === 'string' ? input.strategy : undefined,
        services: Array.isArray(services) ? services.map(str) : [],
        enableTraffic: enableTraffic !== false,
      };
    },
    validate(description, errors) {
      validateDeployDescription(runtime, description, errors);
    },
    applicationsOf: (description) => (description.moniker.app ? [description.moniker.app] : []),
    run: (description, context) => deployManifests(runtime, description, context),
    resumable: true,
  });
}

/** The checks of `deployManifest` (shared with `runJob`), naming each bad field. */
export function validateDeployDescription(runtime: KubernetesRuntime, description: DeployManifestDescription, errors: ValidationErrors): void {
  if (description.source === 'artifact') {
    // The manifests come from the artifact when the task runs, and are checked then.
    if (!description.manifestArtifact)
      errors.reject(
        'manifestArtifact',
        'empty',
        'source "artifact" needs manifestArtifact (or a manifestArtifactId naming one of the required or optional artifacts)',
      );
    else if (typeof description.manifestArtifact.type !== 'string') errors.reject('manifestArtifact.type', 'empty', 'manifestArtifact needs a type');
  } else if (description.source !== undefined && description.source !== 'text') {
    errors.reject('source', 'invalid', 'source must be "text" or "artifact"');
  }
  for (const [field, value] of Object.entries(description.rawArtifacts ?? {})) {
    for (const problem of artifactListErrors(value, field)) errors.reject(problem.field, 'invalid', problem.message);
  }
  const account = validateAccount(runtime, description.account, errors);
  if (!description.moniker.app) errors.reject('moniker.app', 'empty', 'moniker.app (the application) is required');
  else if (!/^[A-Za-z0-9._-]+$/.test(description.moniker.app))
    errors.reject('moniker.app', 'invalid', 'moniker.app may contain letters, digits, ".", "_" and "-"');
  const fromArtifact = description.source === 'artifact';
  if (!fromArtifact && description.manifests.length === 0) errors.reject('manifests', 'empty', 'at least one manifest is required');
  description.services.forEach((service, i) => {
    if (!/^service\s+\S+$/.test(service)) errors.reject(`services[${i}]`, 'invalid', 'services must be "service <name>"');
  });
  if (description.services.length > 0 && description.manifests.some((m) => isObject(m) && WORKLOADS.has(String(m.kind)) && m.kind !== 'ReplicaSet')) {
    errors.reject('services', 'invalid', 'traffic management is only supported for ReplicaSets');
  }
  if (fromArtifact) return;
  description.manifests.forEach((manifest, i) => {
    const field = `manifests[${i}]`;
    if (!isObject(manifest)) return errors.reject(field, 'invalid', 'each manifest must be an object');
    if (!manifest.apiVersion) errors.reject(`${field}.apiVersion`, 'empty', 'apiVersion is required');
    if (!manifest.kind) return errors.reject(`${field}.kind`, 'empty', 'kind is required');
    if (!isObject(manifest.metadata) || (!manifest.metadata.name && !manifest.metadata.generateName))
      errors.reject(`${field}.metadata.name`, 'empty', 'metadata.name (or metadata.generateName) is required');
    else if (manifest.metadata.name && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(String(manifest.metadata.name)))
      errors.reject(`${field}.metadata.name`, 'invalid', 'metadata.name must be a lowercase DNS-1123 name');
    else if (!manifest.metadata.name && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9-])?$/.test(String(manifest.metadata.generateName)))
      errors.reject(`${field}.metadata.generateName`, 'invalid', 'metadata.generateName must be a lowercase DNS-1123 prefix');
    const history = manifest.metadata?.annotations?.[MAX_VERSION_HISTORY_ANNOTATION];
    if (history !== undefined && !/^\d+$/.test(String(history)))
      errors.reject(`${field}.metadata.annotations`, 'invalid', `${MAX_VERSION_HISTORY_ANNOTATION} must be a whole number`);
    else if (history !== undefined && Number(history) < 2 && (description.strategy === 'RED_BLACK' || description.strategy === 'BLUE_GREEN')) {
      errors.reject(
        `${field}.metadata.annotations`,
        'invalid',
        `${MAX_VERSION_HISTORY_ANNOTATION} must be at least 2 with the ${description.strategy} traffic strategy (the previous version must survive the deploy)`,
      );
    }
    if (!account) return;
    const kind = kindOfManifest(account.knownKinds, manifest);
    if (!kind)
      return errors.reject(
        `${field}.kind`,
        'invalid',
        `kind ${manifest.kind} (${manifest.apiVersion}) is not known to account ${account.name}; declare it in customResources`,
      );
    if (manifest.apiVersion && manifest.apiVersion !== kind.apiVersion)
      errors.reject(`${field}.apiVersion`, 'invalid', `${manifest.kind} is served as ${kind.apiVersion}, not ${manifest.apiVersion}`);
    const namespace = description.namespaceOverride ?? manifest.metadata?.namespace;
    if (kind.namespaced && namespace && !accountCoversNamespace(account, namespace)) {
      errors.reject(
        description.namespaceOverride ? 'namespaceOverride' : `${field}.metadata.namespace`,
        'invalid',
        `namespace "${namespace}" is not covered by account ${account.name}`,
      );
    }
  });
}

/**
 * Runs a validated deploy (also the heart of `runJob`). Resumable: the version chosen for each
 * manifest and each manifest's apply are persisted steps, so a deploy continued on another replica
 * applies the same names and skips what was already applied.
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export async function deployManifests(
  runtime: KubernetesRuntime,
  requested: DeployManifestDescription,
  context: OperationContext,
): Promise<ManifestOperationResult> {
  const { task } = context;
  const description = requested.source === 'artifact' ? await withArtifactManifests(runtime, requested, context) : requested;
  const account = runtime.account(description.account) as KubernetesAccount;
  const client = runtime.client(account.name);
  const app = description.moniker.app!;
  await task.updateStatus(PHASE, `Beginning deployment of ${description.manifests.length} manifest(s) to account ${account.name}`);

  const plan: PlannedManifest[] = (description.manifests as Manifest[]).map((raw) => {
    const manifest = structuredClone(raw);
    const kind = kindOfManifest(account.knownKinds, manifest)!;
    const namespace = kind.namespaced ? (description.namespaceOverride ?? manifest.metadata?.namespace ?? 'default') : undefined;
    manifest.metadata = { ...manifest.metadata, ...(namespace !== undefined ? { namespace } : {}) };
    const generated = !manifest.metadata.name;
    const baseName = String(manifest.metadata.name ?? manifest.metadata.generateName);
    const cluster =
      manifest.metadata.annotations?.[MONIKER_CLUSTER] ??
      description.moniker.cluster ??
      `${kind.cacheType} ${generated ? baseName.replace(/-$/, '') : baseName}`;
    const annotations: Record<string, string> = { [MONIKER_APPLICATION]: app, [MONIKER_CLUSTER]: cluster };
    if (description.moniker.stack) annotations[MONIKER_STACK] = description.moniker.stack;
    if (description.moniker.detail) annotations[MONIKER_DETAIL] = description.moniker.detail;
    annotate(manifest, annotations, { [APP_NAME_LABEL]: app, [MANAGED_BY_LABEL]: 'spinnaker' });
    return { kind, namespace, baseName, generated, manifest };
  });
  plan.sort((a, b) => (ORDER[a.kind.kind] ?? (WORKLOADS.has(a.kind.kind) ? 50 : 40)) - (ORDER[b.kind.kind] ?? (WORKLOADS.has(b.kind.kind) ? 50 : 40)));
  await task.updateStatus(PHASE, `Deploy order is: ${plan.map((p) => manifestDisplayName(p.kind, p.baseName)).join(', ')}`);

  if (description.services.length > 0) await manageTraffic(client, plan, description, task);

  // Artifacts that may bind: the request's (when binding is on), then each manifest's own as it is
  // versioned, so a ConfigMap deployed here binds into the workloads deployed after it.
  const artifacts = new Map<string, Artifact>();
  if (description.enableArtifactBinding) {
    for (const artifact of [...description.requiredArtifacts, ...description.optionalArtifacts])
      if (!artifacts.has(artifactKey(artifact))) artifacts.set(artifactKey(artifact), artifact);
  }
  const bound = new Map<string, Artifact>();
  const createdArtifacts: Record<string, unknown>[] = [];
  const reused = new Set<PlannedManifest>();
  for (const planned of plan) {
    for (const artifact of bindArtifacts(planned.manifest, [...artifacts.values()], planned.namespace ?? '', account.name))
      bound.set(artifactIdentity(artifact), artifact);
    const versionAnnotation = planned.manifest.metadata?.annotations?.[VERSIONED_ANNOTATION];
    const versioned =
      !planned.generated &&
      (versionAnnotation !== undefined ? versionAnnotation === 'true' : (description.versioned ?? VERSIONED_BY_DEFAULT.has(planned.kind.kind)));
    if (versioned) {
      const choice = await runStep(context, `version:${planned.kind.kind}/${planned.namespace ?? ''}/${planned.baseName}`, () =>
        chooseVersion(client, planned),
      );
      planned.version = choice.version;
      planned.manifest.metadata!.name = choice.name;
      planned.manifest.metadata!.annotations = {
        ...planned.manifest.metadata!.annotations,
        [MONIKER_SEQUENCE]: String(Number(choice.version.slice(1))),
        'artifact.spinnaker.io/version': choice.version,
      };
      if (choice.reused) reused.add(planned);
    }
    if (!planned.generated) {
      const created = createdArtifactOf(planned, account.name);
      artifacts.set(artifactKey(created), created);
    }
  }
  if (description.enableArtifactBinding) {
    const missing = description.requiredArtifacts.filter((artifact) => !bound.has(artifactIdentity(artifact)));
    if (missing.length > 0) {
      throw new Error(
        `The following required artifacts could not be bound: ${missing.map((a) => `${a.type} ${a.name ?? ''}${a.reference ? ` (${a.reference})` : ''}`).join(', ')}. ` +
          "Check that the image or resource names in the manifests match the artifacts' names.",
      );
    }
  }
  await task.updateStatus(PHASE, `Bound artifacts: ${[...bound.values()].map((a) => a.reference).join(', ') || 'none'}`);

  const manifestNamesByNamespace: Record<string, string[]> = {};
  const manifests: Record<string, unknown>[] = [];
  for (const planned of plan) {
    const artifactType = `kubernetes/${planned.kind.cacheType}`;
    planned.manifest.metadata!.annotations = {
      ...planned.manifest.metadata!.annotations,
      'artifact.spinnaker.io/name': planned.baseName,
      'artifact.spinnaker.io/type': artifactType,
      'artifact.spinnaker.io/location': planned.namespace ?? '',
    };
    const stepName = String(planned.manifest.metadata!.name ?? `${planned.baseName}*`);
    const { applied } = await runStep(
      context,
      `apply:${planned.kind.kind}/${planned.namespace ?? ''}/${stepName}`,
      async (): Promise<{ applied: Manifest; verb: string }> => {
        let applied: Manifest;
        let verb: string;
        const strategyRecreate = planned.manifest.metadata!.annotations![RECREATE_ANNOTATION] === 'true';
        if (reused.has(planned)) {
          const name = String(planned.manifest.metadata!.name);
          await task.updateStatus(PHASE, `${manifestDisplayName(planned.kind, name)} is unchanged; reusing it in ${planned.namespace}`);
          applied = (await client.get(planned.kind, planned.namespace, name)) ?? planned.manifest;
          verb = 'unchanged';
        } else if (planned.generated) {
          await task.updateStatus(PHASE, `Creating manifest ${manifestDisplayName(planned.kind, planned.baseName)}* in ${planned.namespace ?? 'the cluster'}`);
          applied = await client.create(planned.kind, planned.manifest);
          verb = 'created';
        } else {
          const name = String(planned.manifest.metadata!.name);
          await task.updateStatus(PHASE, `Deploying manifest ${manifestDisplayName(planned.kind, name)} to ${planned.namespace ?? 'the cluster'}`);
          const existing = await client.get(planned.kind, planned.namespace, name);
          if (existing && strategyRecreate) {
            await task.updateStatus(PHASE, `Recreating ${manifestDisplayName(planned.kind, name)}: deleting the existing one first`);
            await client.delete(planned.kind, planned.namespace, name, { propagationPolicy: 'Background' });
            applied = await createAfterDelete(client, planned);
            verb = 'created';
          } else if (existing) {
            const next = structuredClone(planned.manifest);
            next.metadata!.resourceVersion = existing.metadata?.resourceVersion;
            if (planned.kind.kind === 'Service' && existing.spec?.clusterIP && !next.spec?.clusterIP)
              next.spec = { ...next.spec, clusterIP: existing.spec.clusterIP };
            applied = await client.replace(planned.kind, next);
            verb = 'configured';
          } else {
            applied = await client.create(planned.kind, planned.manifest);
            verb = 'created';
          }
        }
        const name = String(applied.metadata?.name ?? planned.manifest.metadata!.name);
        const display = manifestDisplayName(planned.kind, name);
        await task.addOutput({ manifest: display, phase: PHASE, stdOut: `${kubectlName(planned.kind, name)} ${verb}`, stdError: '' });
        return { applied, verb };
      },
    );
    const name = String(applied.metadata?.name ?? planned.manifest.metadata!.name);
    const display = manifestDisplayName(planned.kind, name);
    (manifestNamesByNamespace[planned.namespace ?? ''] ??= []).push(display);
    manifests.push(withoutSensitiveKeys(applied));
    createdArtifacts.push(
      planned.generated ? { ...createdArtifactOf(planned, account.name), name, reference: name } : createdArtifactOf(planned, account.name),
    );
  }
  await task.updateStatus(PHASE, 'Deploy manifest task completed successfully for manifest(s) ' + Object.values(manifestNamesByNamespace).flat().join(', '));
  return { manifestNamesByNamespace, manifests, createdArtifacts, boundArtifacts: [...bound.values()] };
}

/** The artifact a deployed manifest is (Clouddriver's `ArtifactConverter.toArtifact`). */
function createdArtifactOf(planned: PlannedManifest, account: string): Artifact & Record<string, unknown> {
  return {
    type: `kubernetes/${planned.kind.cacheType}`,
    name: planned.baseName,
    location: planned.namespace ?? '',
    version: planned.version ?? '',
    reference: String(planned.manifest.metadata!.name ?? planned.baseName),
    customKind: !['', 'apps', 'batch', 'networking.k8s.io'].includes(planned.kind.group),
    metadata: { account },
  };
}

/** Creates after a delete; a cluster may still be removing the old object for a moment (409). */
async function createAfterDelete(client: KubernetesClient, planned: PlannedManifest): Promise<Manifest> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.create(planned.kind, planned.manifest);
    } catch (error) {
      if ((error as { code?: number }).code !== 409 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Traffic management for the ReplicaSets being deployed: records the Services in the
 * `traffic.spinnaker.io/load-balancers` annotation (what enable/disable use later) and, when
 * traffic is enabled, adds each Service's selector to the pod template labels.
 */
async function manageTraffic(
  client: KubernetesClient,
  plan: PlannedManifest[],
  description: DeployManifestDescription,
  task: OperationContext['task'],
): Promise<void> {
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
    await task.updateStatus(
      PHASE,
      `Traffic to replicaSet ${planned.baseName} through ${description.services.join(', ')} is ${description.enableTraffic ? 'enabled' : 'disabled'}`,
    );
  }
}

/** `manifestArtifact`, or the required/optional artifact `manifestArtifactId` names, and its account. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
function manifestArtifactOf(input: Record<string, any>): Pick<DeployManifestDescription, 'manifestArtifact' | 'manifestArtifactAccount'> {
  const byId = (id: unknown) =>
    [
      ...(Array.isArray(input.requiredArtifacts) ? input.requiredArtifacts : []),
      ...(Array.isArray(input.optionalArtifacts) ? input.optionalArtifacts : []),
    ].find((artifact: unknown) => isObject(artifact) && artifact.id === id) as Artifact | undefined;
  const artifact = isObject(input.manifestArtifact)
    ? (input.manifestArtifact as Artifact)
    : input.manifestArtifactId
      ? byId(input.manifestArtifactId)
      : undefined;
  return {
    ...(artifact ? { manifestArtifact: artifact } : {}),
    ...(typeof input.manifestArtifactAccount === 'string' && input.manifestArtifactAccount ? { manifestArtifactAccount: input.manifestArtifactAccount } : {}),
  };
}

/**
 * `source: artifact`: the manifests read from the artifact (a persisted step, so a resumed deploy
 * deploys what it read the first time), then checked as a request's manifests would be.
 */
async function withArtifactManifests(
  runtime: KubernetesRuntime,
  description: DeployManifestDescription,
  context: OperationContext,
): Promise<DeployManifestDescription> {
  await context.task.updateStatus(
    PHASE,
    `Reading the manifests from artifact ${description.manifestArtifact!.type} ${description.manifestArtifact!.name ?? description.manifestArtifact!.reference ?? ''}`,
  );
  const manifests = await runStep(context, 'manifestArtifact', () =>
    manifestsFromArtifact(context, description.manifestArtifact!, description.manifestArtifactAccount),
  );
  const resolved: DeployManifestDescription = { ...description, source: 'text', manifests };
  const problems: string[] = [];
  validateDeployDescription(runtime, resolved, {
    reject: (field, _code, message) => void problems.push(`${field}: ${message ?? 'invalid'}`),
    get hasErrors() {
      return problems.length > 0;
    },
  });
  if (problems.length > 0) throw new Error(`The manifests of the artifact are not valid: ${problems.join('; ')}`);
  return resolved;
}
