import { cacheData, type CacheData } from '@stratus/plugin-api';
import type { KubernetesAccount } from '../accounts/kubernetes-account.js';
import type { Manifest } from '../kubernetes-client.js';
import { APPLICATIONS_TYPE, applicationKey, CLUSTERS_TYPE, clusterKey, infrastructureKey } from '../kubernetes-keys.js';
import type { KubernetesKind } from '../kubernetes-kind.js';
import { monikerOf } from '../kubernetes-moniker.js';

/** One cached object of an account. */
export interface AccountObject {
  readonly kind: KubernetesKind;
  readonly manifest: Manifest;
}

export const keyOfObject = (account: string, object: AccountObject) =>
  infrastructureKey(object.kind.cacheType, account, object.manifest.metadata?.namespace ?? '', object.manifest.metadata?.name ?? '');

/** Cache items by type. */
export type ItemsByType = Map<string, CacheData[]>;

const WORKLOAD_SPINNAKER_KINDS = new Set(['serverGroups', 'serverGroupManagers']);

function add(map: Map<string, Map<string, Set<string>>>, from: string, type: string, to: string): void {
  let byType = map.get(from);
  if (!byType) map.set(from, (byType = new Map()));
  let set = byType.get(type);
  if (!set) byType.set(type, (set = new Set()));
  set.add(to);
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The labels a workload's pods carry (its template's), or a pod's own. */
function podLabelsOf(object: AccountObject): Record<string, string> | undefined {
  if (object.kind.kind === 'Pod') return object.manifest.metadata?.labels;
  return object.manifest.spec?.template?.metadata?.labels;
}

/**
 * Builds the infrastructure items of some namespaces of one account, with relationships
 * owner ↔ owned (from ownerReferences) and Service/Ingress ↔ workloads (selectors; an Ingress
 * reaches workloads through its backend Services). `objects` must hold every object of those
 * namespaces, since relationships are computed among them.
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' caching/ now)
export function buildInfrastructureItems(account: KubernetesAccount, objects: readonly AccountObject[]): ItemsByType {
  const name = account.name;
  const byUid = new Map<string, AccountObject>();
  for (const object of objects) if (object.manifest.metadata?.uid) byUid.set(object.manifest.metadata.uid, object);
  const edges = new Map<string, Map<string, Set<string>>>();

  for (const object of objects) {
    const key = keyOfObject(name, object);
    for (const ref of object.manifest.metadata?.ownerReferences ?? []) {
      const owner = byUid.get(ref.uid);
      if (!owner) continue;
      const ownerKey = keyOfObject(name, owner);
      add(edges, ownerKey, object.kind.cacheType, key);
      add(edges, key, owner.kind.cacheType, ownerKey);
    }
  }

  const inNamespace = new Map<string, AccountObject[]>();
  for (const object of objects) {
    const ns = object.manifest.metadata?.namespace ?? '';
    let list = inNamespace.get(ns);
    if (!list) inNamespace.set(ns, (list = []));
    list.push(object);
  }
  for (const [, members] of inNamespace) {
    const workloads = members.filter((o) => o.kind.spinnakerKind === 'serverGroups' || o.kind.kind === 'Pod');
    const services = members.filter((o) => o.kind.kind === 'Service');
    const selectedBy = new Map<string, string[]>();
    for (const service of services) {
      const serviceKey = keyOfObject(name, service);
      const selected: string[] = [];
      for (const workload of workloads) {
        if (!selects(service.manifest.spec?.selector, podLabelsOf(workload))) continue;
        const workloadKey = keyOfObject(name, workload);
        selected.push(workloadKey);
        add(edges, serviceKey, workload.kind.cacheType, workloadKey);
        add(edges, workloadKey, service.kind.cacheType, serviceKey);
      }
      selectedBy.set(String(service.manifest.metadata?.name), selected);
    }
    for (const ingress of members.filter((o) => o.kind.kind === 'Ingress')) {
      const ingressKey = keyOfObject(name, ingress);
      for (const serviceName of ingressBackends(ingress.manifest)) {
        const service = services.find((s) => s.manifest.metadata?.name === serviceName);
        if (!service) continue;
        const serviceKey = keyOfObject(name, service);
        add(edges, ingressKey, 'service', serviceKey);
        add(edges, serviceKey, ingress.kind.cacheType, ingressKey);
        for (const workloadKey of selectedBy.get(serviceName) ?? []) {
          const workloadType = workloadKey.split(':')[2]!;
          add(edges, ingressKey, workloadType, workloadKey);
          add(edges, workloadKey, ingress.kind.cacheType, ingressKey);
        }
      }
    }
  }

  const items: ItemsByType = new Map();
  for (const object of objects) {
    const key = keyOfObject(name, object);
    const moniker = monikerOf(object.manifest, object.kind);
    // Every relationship name is written, empty when there is none: the store keeps a name a write
    // leaves out, so an edge that went away (a Service no longer selecting) would otherwise linger.
    const relationships = emptyRelationships(account);
    for (const [type, ids] of edges.get(key) ?? []) relationships[type] = [...ids].sort();
    if (moniker) {
      relationships[APPLICATIONS_TYPE] = [applicationKey(moniker.app)];
      if (WORKLOAD_SPINNAKER_KINDS.has(object.kind.spinnakerKind)) {
        relationships[CLUSTERS_TYPE] = [clusterKey(name, moniker.app, moniker.cluster!)];
      }
    }
    const attributes: Record<string, unknown> = {
      kind: object.kind.kind,
      apiVersion: object.kind.apiVersion,
      name: object.manifest.metadata?.name,
      namespace: object.manifest.metadata?.namespace ?? '',
      account: name,
      manifest: object.manifest,
    };
    if (moniker) {
      attributes.moniker = moniker;
      attributes.application = moniker.app;
    }
    let list = items.get(object.kind.cacheType);
    if (!list) items.set(object.kind.cacheType, (list = []));
    list.push(cacheData(key, attributes, relationships));
  }
  return items;
}

/**
 * The logical items of an account: one cluster per (application, cluster) of its server groups
 * and server group managers (as Clouddriver, load balancers join clusters through the server groups
 * they route to), and one application item per application.
 */
export function buildLogicalItems(account: KubernetesAccount, objects: Iterable<AccountObject>): ItemsByType {
  const clusters = new Map<string, { app: string; cluster: string; members: Map<string, string[]> }>();
  const applications = new Map<string, Set<string>>();
  for (const object of objects) {
    const moniker = monikerOf(object.manifest, object.kind);
    if (!moniker) continue;
    if (!applications.has(moniker.app)) applications.set(moniker.app, new Set());
    if (!WORKLOAD_SPINNAKER_KINDS.has(object.kind.spinnakerKind)) continue;
    const key = clusterKey(account.name, moniker.app, moniker.cluster!);
    let cluster = clusters.get(key);
    if (!cluster) clusters.set(key, (cluster = { app: moniker.app, cluster: moniker.cluster!, members: new Map() }));
    const members = cluster.members.get(object.kind.cacheType) ?? [];
    members.push(keyOfObject(account.name, object));
    cluster.members.set(object.kind.cacheType, members);
    applications.get(moniker.app)!.add(key);
  }
  const clusterItems = [...clusters].map(([key, c]) => {
    const relationships = emptyRelationships(account);
    relationships[APPLICATIONS_TYPE] = [applicationKey(c.app)];
    for (const [type, ids] of c.members) relationships[type] = ids.sort();
    return cacheData(key, { name: c.cluster, application: c.app, account: account.name, moniker: { app: c.app, cluster: c.cluster } }, relationships);
  });
  const applicationItems = [...applications].map(([app, clusterKeys]) =>
    cacheData(applicationKey(app), { name: app }, { [CLUSTERS_TYPE]: [...clusterKeys].sort() }),
  );
  return new Map([
    [CLUSTERS_TYPE, clusterItems],
    [APPLICATIONS_TYPE, applicationItems],
  ]);
}

function emptyRelationships(account: KubernetesAccount): Record<string, string[]> {
  const relationships: Record<string, string[]> = { [APPLICATIONS_TYPE]: [], [CLUSTERS_TYPE]: [] };
  for (const kind of account.cachedKinds) relationships[kind.cacheType] = [];
  return relationships;
}

function ingressBackends(manifest: Manifest): string[] {
  const names = new Set<string>();
  const spec = manifest.spec ?? {};
  if (spec.defaultBackend?.service?.name) names.add(spec.defaultBackend.service.name);
  if (spec.backend?.serviceName) names.add(spec.backend.serviceName);
  for (const rule of spec.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      if (path.backend?.service?.name) names.add(path.backend.service.name);
      if (path.backend?.serviceName) names.add(path.backend.serviceName);
    }
  }
  return [...names];
}
