import type { Manifest } from '../kubernetes-client.js';

/** A Spinnaker artifact a manifest references or is. */
export interface ManifestArtifact {
  readonly type: string;
  readonly name: string;
  readonly reference: string;
  readonly version?: string;
  readonly location?: string;
  readonly [key: string]: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests are arbitrary user JSON (any kind, any CRD)
function podSpecOf(manifest: Manifest): Record<string, any> | undefined {
  if (manifest.kind === 'Pod') return manifest.spec;
  return manifest.spec?.template?.spec ?? manifest.spec?.jobTemplate?.spec?.template?.spec;
}

/**
 * The artifacts a manifest uses, as Clouddriver's artifact replacers find them: container images
 * (`docker/image`) and the ConfigMaps and Secrets it mounts or reads (`kubernetes/configMap`,
 * `kubernetes/secret`).
 */
export function artifactsOf(manifest: Manifest): ManifestArtifact[] {
  const out = new Map<string, ManifestArtifact>();
  const location = manifest.metadata?.namespace;
  const add = (artifact: ManifestArtifact) => out.set(`${artifact.type}|${artifact.reference}`, artifact);
  const spec = podSpecOf(manifest);
  if (!spec) return [];
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (typeof container.image === 'string') {
      const image = container.image as string;
      const at = image.lastIndexOf('@');
      const colon = image.lastIndexOf(':');
      const name = at > 0 ? image.slice(0, at) : colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
      add({ type: 'docker/image', name, reference: image });
    }
    for (const env of container.env ?? []) {
      if (env.valueFrom?.configMapKeyRef?.name)
        add({ type: 'kubernetes/configMap', name: env.valueFrom.configMapKeyRef.name, reference: env.valueFrom.configMapKeyRef.name, location });
      if (env.valueFrom?.secretKeyRef?.name)
        add({ type: 'kubernetes/secret', name: env.valueFrom.secretKeyRef.name, reference: env.valueFrom.secretKeyRef.name, location });
    }
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef?.name) add({ type: 'kubernetes/configMap', name: from.configMapRef.name, reference: from.configMapRef.name, location });
      if (from.secretRef?.name) add({ type: 'kubernetes/secret', name: from.secretRef.name, reference: from.secretRef.name, location });
    }
  }
  for (const volume of spec.volumes ?? []) {
    if (volume.configMap?.name) add({ type: 'kubernetes/configMap', name: volume.configMap.name, reference: volume.configMap.name, location });
    if (volume.secret?.secretName) add({ type: 'kubernetes/secret', name: volume.secret.secretName, reference: volume.secret.secretName, location });
  }
  return [...out.values()];
}
