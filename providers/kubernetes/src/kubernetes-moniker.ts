import type { Moniker } from '@stratus/plugin-api';
import type { Manifest } from './kubernetes-client.js';
import type { KubernetesKind } from './kubernetes-kind.js';

export const MONIKER_APPLICATION = 'moniker.spinnaker.io/application';
export const MONIKER_CLUSTER = 'moniker.spinnaker.io/cluster';
export const MONIKER_STACK = 'moniker.spinnaker.io/stack';
export const MONIKER_DETAIL = 'moniker.spinnaker.io/detail';
export const MONIKER_SEQUENCE = 'moniker.spinnaker.io/sequence';
export const APP_NAME_LABEL = 'app.kubernetes.io/name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/**
 * The moniker of a manifest as Clouddriver's annotation naming strategy reads it: application from
 * `moniker.spinnaker.io/application` (falling back to the `app.kubernetes.io/name` label), cluster
 * from `moniker.spinnaker.io/cluster` (falling back to `<kind> <name>`), sequence from the annotation
 * or a `-vNNN` name suffix. `undefined` when the manifest belongs to no application.
 */
export function monikerOf(manifest: Manifest, kind: Pick<KubernetesKind, 'cacheType'>): Moniker | undefined {
  const annotations: Record<string, string> = manifest.metadata?.annotations ?? {};
  const labels: Record<string, string> = manifest.metadata?.labels ?? {};
  const app = annotations[MONIKER_APPLICATION] ?? labels[APP_NAME_LABEL];
  if (!app) return undefined;
  const name = String(manifest.metadata?.name ?? '');
  const sequenceText = annotations[MONIKER_SEQUENCE] ?? /-v(\d{3,})$/.exec(name)?.[1];
  const moniker: Record<string, unknown> = { app, cluster: annotations[MONIKER_CLUSTER] ?? `${kind.cacheType} ${name}` };
  if (annotations[MONIKER_STACK]) moniker.stack = annotations[MONIKER_STACK];
  if (annotations[MONIKER_DETAIL]) moniker.detail = annotations[MONIKER_DETAIL];
  if (sequenceText !== undefined && /^\d+$/.test(sequenceText)) moniker.sequence = Number(sequenceText);
  return moniker as Moniker;
}
