import type { OperationDefinition } from '@stratus/plugin-api';
import type { Manifest } from '../kubernetes-client.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import type { Artifact } from './artifact-binding.js';
import { deployManifests, RECREATE_ANNOTATION, validateDeployDescription, type DeployManifestDescription } from './deploy-manifest-operation.js';
import { manifestOperation, str } from './manifest-operation-support.js';

export interface RunJobDescription {
  readonly account: string;
  readonly application: string;
  /** Overrides the Job's namespace when not empty. */
  readonly namespace: string;
  readonly manifest: unknown;
  readonly requiredArtifacts: readonly Artifact[];
  readonly optionalArtifacts: readonly Artifact[];
  readonly source?: string | undefined;
  readonly raw: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The deploy a run job is: the Job alone, recreated (a Job is immutable; each run must run). */
function asDeploy(description: RunJobDescription): DeployManifestDescription {
  const manifest = isObject(description.manifest) ? structuredClone(description.manifest) : description.manifest;
  if (isObject(manifest)) {
    const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    manifest.metadata = { ...metadata, annotations: { ...annotations, [RECREATE_ANNOTATION]: 'true' } };
  }
  return {
    account: description.account,
    manifests: manifest === undefined ? [] : [manifest],
    moniker: { app: description.application || undefined },
    namespaceOverride: description.namespace || undefined,
    enableArtifactBinding: true,
    requiredArtifacts: description.requiredArtifacts,
    optionalArtifacts: description.optionalArtifacts,
    rawArtifacts: { requiredArtifacts: description.raw.requiredArtifacts, optionalArtifacts: description.raw.optionalArtifacts },
    source: description.source,
    services: [],
    enableTraffic: true,
  };
}

/**
 * `runJob` (Orca's Run Job (Manifest) stage): deploys one Job, Clouddriver's way: the Job is
 * recreated when one of its name exists, a `generateName` gets a fresh name from the cluster, and
 * artifacts bind as in `deployManifest`. The result adds `deployedNamesByLocation`
 * (`{namespace: ["job <name>"]}`), which Orca stores as `deploy.jobs` and polls through
 * `GET /applications/{app}/jobs/{account}/{namespace}/{name}`.
 */
export function runJobOperation(runtime: KubernetesRuntime): OperationDefinition<RunJobDescription> {
  return manifestOperation(runtime, {
    name: 'runJob',
    convert(input) {
      const moniker = isObject(input.moniker) ? input.moniker : {};
      const manifests = Array.isArray(input.manifests) ? input.manifests : undefined;
      return {
        account: str(input.account ?? input.credentials ?? input.accountName),
        application: str(input.application ?? moniker.app),
        namespace: str(input.namespace),
        manifest: input.manifest ?? (manifests?.length === 1 ? manifests[0] : undefined),
        requiredArtifacts: (Array.isArray(input.requiredArtifacts) ? input.requiredArtifacts : []) as Artifact[],
        optionalArtifacts: (Array.isArray(input.optionalArtifacts) ? input.optionalArtifacts : []) as Artifact[],
        source: input.source === undefined || input.source === null ? undefined : str(input.source),
        raw: input,
      };
    },
    validate(description, errors) {
      if (description.manifest === undefined) {
        errors.reject('manifest', 'empty', 'manifest (one Job) is required');
      } else if (!isObject(description.manifest) || description.manifest.kind !== 'Job') {
        errors.reject('manifest.kind', 'invalid', 'Only kind of Job is accepted for the Run Job operation.');
      }
      if (!isObject(description.manifest) || description.manifest.kind !== 'Job') {
        if (!description.application) errors.reject('application', 'empty', 'application is required');
        return;
      }
      // The deploy's checks, with its field names turned into this operation's.
      validateDeployDescription(runtime, asDeploy(description), {
        reject: (field, code, message) =>
          errors.reject(field.startsWith('moniker.app') ? 'application' : field.replace(/^manifests\[0\]/, 'manifest'), code, message),
        get hasErrors() {
          return errors.hasErrors;
        },
      });
    },
    applicationsOf: (description) => (description.application ? [description.application] : []),
    async run(description, context) {
      await context.task.updateStatus('RUN_KUBERNETES_JOB', 'Running Kubernetes job...');
      const result = await deployManifests(runtime, asDeploy(description), context);
      const deployedNamesByLocation = Object.fromEntries(Object.entries(result.manifestNamesByNamespace).map(([namespace, names]) => [namespace, [...names]]));
      return { ...result, deployedNamesByLocation, manifests: result.manifests as Manifest[] };
    },
  });
}
