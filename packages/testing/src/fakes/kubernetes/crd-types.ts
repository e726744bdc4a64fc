import type { KubeObject } from './fake-kubernetes-cluster.js';
import type { FakeResourceType } from './resource-types.js';

/** The `apiextensions.k8s.io/v1` CustomResourceDefinition kind: creating one makes the fake serve its resource. */
export const CUSTOM_RESOURCE_DEFINITION_TYPE: FakeResourceType = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
  shortNames: ['crd'],
};

/**
 * The resource types a CustomResourceDefinition object declares: one per served version, as the
 * real API server starts serving `/apis/{group}/{version}/{plural}` once the CRD is established.
 */
export function typesOfCrd(crd: KubeObject): FakeResourceType[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  if (typeof spec.group !== 'string' || typeof names.kind !== 'string' || typeof names.plural !== 'string') return [];
  const versions: { name?: string; served?: boolean }[] = Array.isArray(spec.versions) ? spec.versions : [];
  return versions
    .filter((v) => typeof v.name === 'string' && v.served !== false)
    .map((v) => ({
      group: spec.group,
      version: v.name!,
      kind: names.kind,
      plural: names.plural,
      namespaced: spec.scope !== 'Cluster',
      ...(Array.isArray(names.shortNames) ? { shortNames: names.shortNames } : {}),
    }));
}

/** A CustomResourceDefinition manifest for tests (namespaced, one served and stored version). */
export function customResourceDefinition(options: { group: string; kind: string; plural: string; version?: string; namespaced?: boolean }): KubeObject {
  const version = options.version ?? 'v1';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${options.plural}.${options.group}` },
    spec: {
      group: options.group,
      names: { kind: options.kind, plural: options.plural, singular: options.kind.toLowerCase(), listKind: `${options.kind}List` },
      scope: options.namespaced === false ? 'Cluster' : 'Namespaced',
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}
