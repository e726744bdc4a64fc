import { randomUUID } from 'node:crypto';
import { applyJsonPatch, JsonPatchError } from './apply-json-patch.js';
import { applyMergePatch } from './apply-merge-patch.js';
import { alreadyExists, conflict, FakeApiError, gone, invalid, notFound } from './fake-api-error.js';
import { parseLabelSelector } from './label-selector.js';
import { PodLogs } from './pod-logs.js';
import { CUSTOM_RESOURCE_DEFINITION_TYPE, typesOfCrd } from './crd-types.js';
import { apiVersionOf, FAKE_RESOURCE_TYPES, type FakeResourceType } from './resource-types.js';
import { WorkloadController } from './workload-controller.js';

/** A Kubernetes object as JSON. */
export type KubeObject = Record<string, any> & {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata?: Record<string, any>;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as a watch stream sends it. */
export interface ClusterEvent {
  readonly type: WatchEventType;
  readonly resourceVersion: number;
  readonly resourceType: FakeResourceType;
  readonly object: KubeObject;
}

export interface FakeKubernetesClusterOptions {
  /** How many events watches can resume from; older resourceVersions answer 410 Gone (default 1000). */
  readonly historyLimit?: number;
  /** Namespaces that exist at start (default `['default']`). */
  readonly namespaces?: readonly string[];
  /** How long a Job's pod runs before it completes (default 200 ms). */
  readonly jobDurationMs?: number;
  /**
   * The resource types served (default {@link FAKE_RESOURCE_TYPES}), e.g. without Ingress for a
   * cluster that does not serve `networking.k8s.io`, or Ingress on `extensions/v1beta1` only.
   * CustomResourceDefinitions are always served, and each CRD object adds its resource.
   */
  readonly types?: readonly FakeResourceType[];
}

const typeKey = (t: Pick<FakeResourceType, 'group' | 'plural'>) => `${t.group}/${t.plural}`;
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

/**
 * The state of a fake cluster: objects per resource type, a global resourceVersion counter, a
 * bounded event history for watch resumption, and a workload controller (Deployment → ReplicaSet →
 * Pod) that runs synchronously after every change. Both the HTTPS layer and tests (changing
 * resources "directly in the cluster") go through these methods.
 */
export class FakeKubernetesCluster {
  private readonly served: FakeResourceType[];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: ClusterEvent[] = [];
  private readonly historyLimit: number;
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  /** Container logs, served by `GET …/pods/{name}/log`; tests may set them with `podLogs.set`. */
  readonly podLogs = new PodLogs();
  readonly jobDurationMs: number;
  private readonly controller: WorkloadController;
  private revision = 1;
  /** Events with resourceVersion ≤ this are no longer retained. */
  private compactedThrough = 0;

  constructor(options: FakeKubernetesClusterOptions = {}) {
    this.historyLimit = options.historyLimit ?? 1000;
    this.jobDurationMs = options.jobDurationMs ?? 200;
    this.served = [...(options.types ?? FAKE_RESOURCE_TYPES)];
    if (!this.served.some((t) => t.kind === CUSTOM_RESOURCE_DEFINITION_TYPE.kind)) this.served.push(CUSTOM_RESOURCE_DEFINITION_TYPE);
    for (const type of this.served) this.objects.set(typeKey(type), new Map());
    this.controller = new WorkloadController(this);
    for (const ns of options.namespaces ?? ['default']) this.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The resource types served right now (discovery documents list exactly these). */
  get types(): readonly FakeResourceType[] {
    return this.served;
  }

  /** Starts serving a resource type (a CRD established, an API group enabled). */
  serveType(type: FakeResourceType): void {
    if (this.typeByPath(type.group, type.version, type.plural)) return;
    this.served.push(type);
    if (!this.objects.has(typeKey(type))) this.objects.set(typeKey(type), new Map());
  }

  /** Stops serving a resource type; its objects go with it when no other version serves them. */
  unserveType(type: Pick<FakeResourceType, 'group' | 'version' | 'plural'>): void {
    const index = this.served.findIndex((t) => t.group === type.group && t.version === type.version && t.plural === type.plural);
    if (index < 0) return;
    this.served.splice(index, 1);
    if (!this.served.some((t) => typeKey(t) === typeKey(type))) this.objects.delete(typeKey(type));
  }

  // ---- lookup ----

  typeByPath(group: string, version: string, plural: string): FakeResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  typeByKind(apiVersion: string, kind: string): FakeResourceType {
    const type = this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
    if (!type) throw new FakeApiError(404, 'NotFound', `the server could not find the requested resource (${apiVersion} ${kind})`);
    return type;
  }

  get(type: FakeResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store(type).get(objectKey(type.namespaced ? namespace : undefined, name));
    return found && structuredClone(found);
  }

  /** Objects of a type (in one namespace when given), sorted by namespace and name. */
  list(type: FakeResourceType, namespace?: string, labelSelector?: string): KubeObject[] {
    const matches = parseLabelSelector(labelSelector);
    return [...this.store(type).entries()]
      .filter(([, o]) => (!type.namespaced || namespace === undefined || o.metadata?.namespace === namespace) && matches(o.metadata?.labels))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => structuredClone(o));
  }

  // ---- writes (the API server's semantics) ----

  create(type: FakeResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    const name = body.metadata?.name ?? (body.metadata?.generateName ? body.metadata.generateName + randomSuffix() : undefined);
    if (!name) throw invalid(`${type.kind} is invalid: metadata.name: Required value: name or generateName is required`);
    if (body.kind && body.kind !== type.kind) throw new FakeApiError(400, 'BadRequest', `the kind "${body.kind}" does not match the path (${type.kind})`);
    const ns = type.namespaced ? (namespace ?? body.metadata?.namespace ?? 'default') : undefined;
    if (type.namespaced && body.metadata?.namespace && body.metadata.namespace !== ns) {
      throw new FakeApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    if (ns !== undefined && !this.store(this.namespaceType()).has(objectKey(undefined, ns))) throw notFound('namespaces', ns);
    const key = objectKey(ns, name);
    if (this.store(type).has(key)) throw alreadyExists(`${type.plural}${type.group ? '.' + type.group : ''}`, name);
    const object: KubeObject = structuredClone(body);
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    object.metadata = {
      ...object.metadata,
      name,
      ...(ns !== undefined ? { namespace: ns } : {}),
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      generation: 1,
    };
    delete object.metadata.resourceVersion;
    if (type.kind === 'Namespace') object.status = { phase: 'Active' };
    this.write(type, 'ADDED', object);
    this.controller.reconcile();
    return this.get(type, ns, name)!;
  }

  replace(type: FakeResourceType, namespace: string | undefined, name: string, body: KubeObject): KubeObject {
    const existing = this.require(type, namespace, name);
    const sent = body.metadata?.resourceVersion;
    if (sent !== undefined && sent !== '' && sent !== existing.metadata!.resourceVersion) throw conflict(type.plural, name);
    if (body.metadata?.name && body.metadata.name !== name)
      throw new FakeApiError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
    return this.update(type, existing, structuredClone(body));
  }

  /** PATCH with the request's content type: merge, strategic merge (treated as merge) or JSON patch. */
  patch(type: FakeResourceType, namespace: string | undefined, name: string, contentType: string, body: unknown): KubeObject {
    const existing = this.require(type, namespace, name);
    let next: unknown;
    const media = contentType.split(';')[0]!.trim();
    try {
      if (media === 'application/json-patch+json') next = applyJsonPatch(existing, body);
      else if (media === 'application/merge-patch+json' || media === 'application/strategic-merge-patch+json') next = applyMergePatch(existing, body);
      else
        throw new FakeApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got ${media})`,
        );
    } catch (error) {
      if (error instanceof JsonPatchError) throw invalid(error.message);
      throw error;
    }
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw invalid('the patch must leave an object');
    const patched = next as KubeObject;
    const sent = patched.metadata?.resourceVersion;
    if (sent !== undefined && sent !== existing.metadata!.resourceVersion) throw conflict(type.plural, name);
    return this.update(type, existing, patched);
  }

  /**
   * Deletes an object. `propagationPolicy` `Orphan` leaves dependents (removing their owner
   * references); `Background` and `Foreground` delete them too.
   */
  delete(type: FakeResourceType, namespace: string | undefined, name: string, propagationPolicy?: string): KubeObject {
    const existing = this.require(type, namespace, name);
    this.remove(type, existing, propagationPolicy ?? 'Background');
    this.controller.reconcile();
    return existing;
  }

  // ---- test helpers: change the cluster "directly", as another client would ----

  /** Creates or replaces an object (by its apiVersion/kind/namespace/name). */
  apply(object: KubeObject): KubeObject {
    const type = this.typeByKind(object.apiVersion ?? '', object.kind ?? '');
    const name = object.metadata?.name as string;
    const ns = type.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
    const existing = this.get(type, ns, name);
    if (!existing) return this.create(type, ns, object);
    return this.update(type, existing, { ...structuredClone(object), metadata: { ...existing.metadata, ...object.metadata } });
  }

  /** Merge-patches an object by kind. */
  patchObject(apiVersion: string, kind: string, namespace: string | undefined, name: string, mergePatch: Record<string, unknown>): KubeObject {
    return this.patch(this.typeByKind(apiVersion, kind), namespace, name, 'application/merge-patch+json', mergePatch);
  }

  deleteObject(apiVersion: string, kind: string, namespace: string | undefined, name: string, propagationPolicy?: string): KubeObject {
    return this.delete(this.typeByKind(apiVersion, kind), namespace, name, propagationPolicy);
  }

  /** Forgets the event history, so every watch resuming from an older resourceVersion gets 410 Gone. */
  compactHistory(): void {
    this.compactedThrough = this.revision;
    this.history.length = 0;
  }

  // ---- watch support ----

  /**
   * Events after `resourceVersion` that are still retained; throws 410 Gone when some were dropped.
   */
  eventsSince(resourceVersion: number): ClusterEvent[] {
    if (resourceVersion < this.compactedThrough) throw gone(`too old resource version: ${resourceVersion} (${this.compactedThrough + 1})`);
    return this.history.filter((event) => event.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- internals shared with the controller ----

  /** Stores a changed object (bumping generation when its spec changed) and emits MODIFIED. */
  update(type: FakeResourceType, existing: KubeObject, next: KubeObject): KubeObject {
    next.apiVersion = existing.apiVersion;
    next.kind = existing.kind;
    next.metadata = {
      ...next.metadata,
      name: existing.metadata!.name,
      ...(existing.metadata!.namespace !== undefined ? { namespace: existing.metadata!.namespace } : {}),
      uid: existing.metadata!.uid,
      creationTimestamp: existing.metadata!.creationTimestamp,
      generation: existing.metadata!.generation,
    };
    if (JSON.stringify(next.spec) !== JSON.stringify(existing.spec)) next.metadata.generation = (existing.metadata!.generation ?? 1) + 1;
    delete next.metadata.resourceVersion;
    if (type.kind !== 'Namespace' && existing.status !== undefined && next.status === undefined) next.status = existing.status;
    this.write(type, 'MODIFIED', next);
    this.controller.reconcile();
    return this.get(type, existing.metadata!.namespace, existing.metadata!.name)!;
  }

  /** Stores a status (or any controller-owned field) change without touching generation. */
  writeQuietly(type: FakeResourceType, object: KubeObject): void {
    const existing = this.store(type).get(objectKey(object.metadata?.namespace, object.metadata!.name));
    if (
      existing &&
      JSON.stringify({ ...existing, metadata: { ...existing.metadata, resourceVersion: '' } }) ===
        JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: '' } })
    )
      return;
    this.write(type, existing ? 'MODIFIED' : 'ADDED', structuredClone(object));
  }

  remove(type: FakeResourceType, object: KubeObject, propagationPolicy: string): void {
    const uid = object.metadata!.uid;
    const key = objectKey(object.metadata!.namespace, object.metadata!.name);
    if (!this.store(type).has(key)) return;
    this.store(type).delete(key);
    if (type.kind === CUSTOM_RESOURCE_DEFINITION_TYPE.kind) {
      // The API server deletes every custom resource of a removed CRD, then stops serving it.
      for (const served of typesOfCrd(object)) {
        const known = this.typeByPath(served.group, served.version, served.plural);
        if (!known) continue;
        for (const resource of [...this.store(known).values()]) this.remove(known, resource, 'Background');
        this.unserveType(served);
      }
    }
    this.emit({
      type: 'DELETED',
      resourceVersion: ++this.revision,
      resourceType: type,
      object: { ...object, metadata: { ...object.metadata, resourceVersion: String(this.revision) } },
    });
    for (const dependentType of [...this.served]) {
      if (!this.objects.has(typeKey(dependentType))) continue;
      for (const dependent of [...this.store(dependentType).values()]) {
        const owned =
          type.kind === 'Namespace'
            ? dependent.metadata?.namespace === object.metadata!.name && dependentType.namespaced
            : (dependent.metadata?.ownerReferences ?? []).some((ref: { uid: string }) => ref.uid === uid);
        if (!owned) continue;
        if (propagationPolicy === 'Orphan' && type.kind !== 'Namespace') {
          const orphan = structuredClone(dependent);
          orphan.metadata!.ownerReferences = orphan.metadata!.ownerReferences.filter((ref: { uid: string }) => ref.uid !== uid);
          if (orphan.metadata!.ownerReferences.length === 0) delete orphan.metadata!.ownerReferences;
          this.write(dependentType, 'MODIFIED', orphan);
        } else this.remove(dependentType, dependent, propagationPolicy);
      }
    }
  }

  private write(type: FakeResourceType, eventType: WatchEventType, object: KubeObject): void {
    this.revision++;
    object.metadata = { ...object.metadata, resourceVersion: String(this.revision) };
    this.store(type).set(objectKey(object.metadata.namespace, object.metadata.name), object);
    if (type.kind === CUSTOM_RESOURCE_DEFINITION_TYPE.kind) for (const served of typesOfCrd(object)) this.serveType(served);
    this.emit({ type: eventType, resourceVersion: this.revision, resourceType: type, object: structuredClone(object) });
  }

  private emit(event: ClusterEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedThrough = dropped[dropped.length - 1]!.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
  }

  private require(type: FakeResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(type, namespace, name);
    if (!found) throw notFound(`${type.plural}${type.group ? '.' + type.group : ''}`, name);
    return found;
  }

  store(type: FakeResourceType): Map<string, KubeObject> {
    return this.objects.get(typeKey(type))!;
  }

  private namespaceType(): FakeResourceType {
    return this.types.find((t) => t.kind === 'Namespace')!;
  }
}

/** Five lowercase alphanumerics, as generated names end with. */
export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}
