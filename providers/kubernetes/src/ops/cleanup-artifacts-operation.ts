import type { OperationDefinition } from '@stratus/plugin-api';
import type { KubernetesAccount } from '../accounts/kubernetes-account.js';
import type { Manifest } from '../kubernetes-client.js';
import { findKind, kindOfManifest } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { MAX_VERSION_HISTORY_ANNOTATION } from './deploy-manifest-operation.js';
import { kubectlName, manifestDisplayName, manifestOperation, str, validateAccount, type ManifestOperationResult } from './manifest-operation-support.js';

export interface CleanupArtifactsDescription {
  readonly account: string;
  /** The manifests the deploy produced (Orca sends the stage's `outputs.manifests`). */
  readonly manifests: readonly unknown[];
}

const PHASE = 'CLEANUP_KUBERNETES_ARTIFACTS';
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The artifact a deployed object is, from its `artifact.spinnaker.io/*` annotations. */
interface AnnotatedArtifact {
  readonly type: string;
  readonly name: string;
  readonly location: string;
  readonly version: string;
}

function artifactOf(manifest: Manifest): AnnotatedArtifact | undefined {
  const annotations: Record<string, string> = manifest.metadata?.annotations ?? {};
  const type = annotations['artifact.spinnaker.io/type'];
  if (!type) return undefined;
  return {
    type,
    name: annotations['artifact.spinnaker.io/name'] ?? '',
    location: annotations['artifact.spinnaker.io/location'] ?? '',
    version: annotations['artifact.spinnaker.io/version'] ?? '',
  };
}

/** `strategy.spinnaker.io/max-version-history` as a whole number, or undefined (absent or not a number). */
function maxVersionHistoryOf(manifest: Manifest): number | undefined {
  const value = manifest.metadata?.annotations?.[MAX_VERSION_HISTORY_ANNOTATION];
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

const versionNumber = (version: string) => (/^v\d+$/.test(version) ? Number(version.slice(1)) : -1);

/**
 * `cleanupArtifacts`, which Orca's Deploy (Manifest) stage runs after every deploy: for each
 * deployed manifest carrying `strategy.spinnaker.io/max-version-history: N`, the versions of the
 * same artifact (same kind, `artifact.spinnaker.io/name` and namespace) are listed live, oldest
 * first, and all but the newest N are deleted, as Clouddriver's `KubernetesCleanupArtifactsOperation`
 * does. Manifests without the annotation, or not deployed by Spinnaker, are left alone. The result
 * names what was deleted.
 */
export function cleanupArtifactsOperation(runtime: KubernetesRuntime): OperationDefinition<CleanupArtifactsDescription> {
  return manifestOperation(runtime, {
    name: 'cleanupArtifacts',
    convert: (input) => ({
      account: str(input.account ?? input.credentials ?? input.accountName),
      manifests: Array.isArray(input.manifests) ? input.manifests : input.manifests === undefined || input.manifests === null ? [] : [input.manifests],
    }),
    validate(description, errors) {
      validateAccount(runtime, description.account, errors);
      description.manifests.forEach((manifest, i) => {
        if (!isObject(manifest) || typeof manifest.kind !== 'string' || !isObject(manifest.metadata))
          errors.reject(`manifests[${i}]`, 'invalid', 'each manifest must be a Kubernetes object with kind and metadata');
      });
    },
    async run(description, { task }) {
      const account = runtime.account(description.account) as KubernetesAccount;
      const client = runtime.client(account.name);
      const result: ManifestOperationResult = { manifestNamesByNamespace: {}, manifests: [], createdArtifacts: [], boundArtifacts: [] };
      const seen = new Set<string>();
      for (const manifest of description.manifests as Manifest[]) {
        const keep = maxVersionHistoryOf(manifest);
        const artifact = artifactOf(manifest);
        const kind = kindOfManifest(account.knownKinds, manifest);
        if (keep === undefined || !artifact || !kind) continue;
        const namespace = kind.namespaced ? artifact.location || manifest.metadata?.namespace || 'default' : undefined;
        const { items } = await client.list(kind, namespace);
        const versions = items
          .map((item) => ({ item, artifact: artifactOf(item) }))
          .filter((v): v is { item: Manifest; artifact: AnnotatedArtifact } => v.artifact !== undefined && v.artifact.name === artifact.name)
          // Oldest first by creation time; versions break ties (timestamps have second resolution).
          .sort(
            (a, b) =>
              Date.parse(a.item.metadata?.creationTimestamp ?? '') - Date.parse(b.item.metadata?.creationTimestamp ?? '') ||
              versionNumber(a.artifact.version) - versionNumber(b.artifact.version),
          );
        for (const old of versions.slice(0, Math.max(0, versions.length - keep))) {
          if (!old.artifact.type.startsWith('kubernetes/')) continue;
          const oldKind = findKind(account.knownKinds, old.artifact.type.slice('kubernetes/'.length));
          if (!oldKind) continue;
          const name = old.artifact.version ? `${old.artifact.name}-${old.artifact.version}` : old.artifact.name;
          const location = oldKind.namespaced ? old.artifact.location || namespace : undefined;
          const key = `${oldKind.cacheType}|${location}|${name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const display = manifestDisplayName(oldKind, name);
          await task.updateStatus(PHASE, `Deleting artifact ${old.artifact.type} ${name} in ${location ?? 'the cluster'} (keeping the newest ${keep})`);
          try {
            await client.delete(oldKind, location, name, { propagationPolicy: 'Background' });
          } catch (error) {
            if ((error as { code?: number }).code !== 404) throw error;
          }
          await task.addOutput({ manifest: display, phase: PHASE, stdOut: `${kubectlName(oldKind, name)} deleted`, stdError: '' });
          (result.manifestNamesByNamespace[location ?? ''] ??= []).push(display);
        }
      }
      await task.updateStatus(PHASE, `Cleanup complete: ${Object.values(result.manifestNamesByNamespace).flat().length} old version(s) deleted`);
      // As Clouddriver: no `manifests` (null), so Orca keeps promoting the deploy's manifests.
      return { ...result, manifests: null };
    },
  });
}
