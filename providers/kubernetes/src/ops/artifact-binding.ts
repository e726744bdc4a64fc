import type { Manifest } from '../kubernetes-client.js';

/** A Spinnaker artifact as Orca sends it (`requiredArtifacts`, `optionalArtifacts`) and Clouddriver returns it. */
export interface Artifact {
  readonly type: string;
  readonly name?: string;
  readonly reference?: string;
  readonly location?: string;
  readonly version?: string;
  readonly metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
type Holder = Record<string, any>;
/** One place an artifact can be referenced: the object holding the field, and the field. */
interface Slot {
  readonly holder: Holder;
  readonly field: string;
}

const isObject = (value: unknown): value is Holder => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Holder[] => (Array.isArray(value) ? value.filter(isObject) : []);

/**
 * A docker image reference's name, as Clouddriver's replacer reads it: up to an `@digest`, else up
 * to the last `:` (a tag; a registry port is "a tag" too, exactly as there).
 */
export function dockerImageName(reference: string): string {
  const at = reference.indexOf('@');
  if (at >= 0) return reference.slice(0, at);
  const colon = reference.lastIndexOf(':');
  return colon >= 0 ? reference.slice(0, colon) : reference;
}

/** The pod specs of a workload: `spec.template.spec` at any depth (CronJob: under `jobTemplate`). */
function podTemplateSpecs(manifest: Manifest): Holder[] {
  const out: Holder[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const spec = node.spec;
    if (isObject(spec) && isObject(spec.template) && isObject(spec.template.spec)) out.push(spec.template.spec);
    for (const value of Object.values(node)) visit(value);
  };
  visit(manifest);
  return [...new Set(out)];
}

/** Where each artifact type is referenced in a manifest, as Clouddriver's per-kind replacers look. */
function slotsOf(manifest: Manifest): Map<string, { slot: Slot; name: (value: string) => string }[]> {
  const slots = new Map<string, { slot: Slot; name: (value: string) => string }[]>();
  const add = (type: string, holder: unknown, field: string, name: (value: string) => string = (v) => v) => {
    if (!isObject(holder) || typeof holder[field] !== 'string') return;
    let entries = slots.get(type);
    if (!entries) slots.set(type, (entries = []));
    entries.push({ slot: { holder, field }, name });
  };
  if (manifest.kind === 'Pod') {
    // A bare pod's images must equal the artifact's name (Clouddriver's pod replacer has no name parsing).
    for (const container of list(manifest.spec?.containers)) add('docker/image', container, 'image');
    return slots;
  }
  for (const spec of podTemplateSpecs(manifest)) {
    const containers = [...list(spec.containers), ...list(spec.initContainers)];
    for (const container of containers) {
      add('docker/image', container, 'image', dockerImageName);
      for (const env of list(container.env)) {
        add('kubernetes/configMap', env.valueFrom?.configMapKeyRef, 'name');
        add('kubernetes/secret', env.valueFrom?.secretKeyRef, 'name');
      }
      for (const from of list(container.envFrom)) {
        add('kubernetes/configMap', from.configMapRef, 'name');
        add('kubernetes/secret', from.secretRef, 'name');
      }
    }
    for (const volume of list(spec.volumes)) {
      add('kubernetes/configMap', volume.configMap, 'name');
      add('kubernetes/secret', volume.secret, 'secretName');
      for (const source of list(volume.projected?.sources)) {
        add('kubernetes/configMap', source.configMap, 'name');
        add('kubernetes/secret', source.secret, 'name');
      }
    }
  }
  return slots;
}

/**
 * Whether an artifact may bind into a manifest deployed to `namespace` of `account`: any
 * non-Kubernetes artifact; a `kubernetes/*` one only from the same namespace, and from the same
 * account unless it names none.
 */
function applies(artifact: Artifact, namespace: string, account: string): boolean {
  if (!artifact.type) return false;
  if (!artifact.type.startsWith('kubernetes/')) return true;
  const artifactAccount = typeof artifact.metadata?.account === 'string' ? artifact.metadata.account : '';
  return (artifact.location ?? '') === namespace && (artifactAccount === '' || artifactAccount === account);
}

/**
 * Replaces references in `manifest` (in place) by the artifacts' references: a container image
 * whose name is an artifact's name becomes the artifact's reference (`nginx` → `nginx:1.27`), a
 * ConfigMap or Secret reference to an artifact's name becomes its versioned name (`cfg` →
 * `cfg-v003`). Returns the artifacts that bound somewhere.
 */
export function bindArtifacts(manifest: Manifest, artifacts: readonly Artifact[], namespace: string, account: string): Artifact[] {
  const slots = slotsOf(manifest);
  const bound: Artifact[] = [];
  for (const artifact of artifacts) {
    if (!applies(artifact, namespace, account) || artifact.name === undefined || artifact.reference === undefined) continue;
    let replaced = false;
    for (const { slot, name } of slots.get(artifact.type) ?? []) {
      if (name(slot.holder[slot.field]) !== artifact.name) continue;
      slot.holder[slot.field] = artifact.reference;
      replaced = true;
    }
    if (replaced) bound.push(artifact);
  }
  return bound;
}

/** `[type]-[name]-[location]`: artifacts with one key replace each other (stage-created ones win). */
export const artifactKey = (artifact: Artifact) => `[${artifact.type}]-[${artifact.name ?? ''}]-[${artifact.location ?? ''}]`;

/** The identity Clouddriver compares required and bound artifacts by. */
export const artifactIdentity = (artifact: Artifact) =>
  JSON.stringify([artifact.type, artifact.name ?? null, artifact.version ?? null, artifact.location ?? null, artifact.reference ?? null]);

/** Validates a list of artifacts from the request, naming the bad entry. */
export function artifactListErrors(value: unknown, field: string): { field: string; message: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ field, message: `${field} must be a list of artifacts` }];
  return value.flatMap((entry, i) =>
    isObject(entry) && typeof entry.type === 'string' && entry.type !== ''
      ? []
      : [{ field: `${field}[${i}]`, message: 'each artifact must be an object with a type' }],
  );
}
