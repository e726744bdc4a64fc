import type { Manifest } from '../kubernetes-client.js';

/** One condition of a manifest's status. */
export interface StatusCondition {
  readonly state: boolean;
  readonly message?: string;
}

/** Clouddriver's `Manifest.Status`. */
export interface ManifestStatus {
  readonly stable: StatusCondition;
  readonly paused: StatusCondition;
  readonly available: StatusCondition;
  readonly failed: StatusCondition;
}

class StatusBuilder {
  stable: StatusCondition = { state: true };
  paused: StatusCondition = { state: false };
  available: StatusCondition = { state: true };
  failed: StatusCondition = { state: false };
  unstable(message: string): this {
    if (this.stable.state) this.stable = { state: false, message };
    return this;
  }
  unavailable(message: string): this {
    if (this.available.state) this.available = { state: false, message };
    return this;
  }
  build(): ManifestStatus {
    return { stable: this.stable, paused: this.paused, available: this.available, failed: this.failed };
  }
}

const condition = (status: Manifest['status'], type: string) =>
  (status?.conditions ?? []).find((c: { type: string }) => c.type === type) as { status?: string; reason?: string; message?: string } | undefined;

function generationLags(manifest: Manifest): boolean {
  const observed = manifest.status?.observedGeneration;
  const generation = manifest.metadata?.generation;
  return observed !== undefined && generation !== undefined && observed < generation;
}

function deploymentStatus(manifest: Manifest, out: StatusBuilder): void {
  const status = manifest.status;
  if (manifest.spec?.paused) out.paused = { state: true, message: 'Deployment is paused' };
  if (!status) {
    out.unstable('No status reported yet').unavailable('No availability reported');
    return;
  }
  const available = condition(status, 'Available');
  if (available?.status === 'False') out.unavailable(available.message ?? 'Deployment is not available');
  const progressing = condition(status, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    out.failed = { state: true, message: 'Deployment exceeded its progress deadline' };
  }
  if (generationLags(manifest)) return void out.unstable('Waiting for status generation to match updated object generation');
  const desired = manifest.spec?.replicas ?? 1;
  if ((status.updatedReplicas ?? 0) < desired) return void out.unstable('Waiting for all replicas to be updated');
  if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0)) return void out.unstable('Waiting for old replicas to finish termination');
  if ((status.availableReplicas ?? 0) < desired) {
    out.unavailable('Not all replicas are available');
    return void out.unstable('Waiting for all replicas to be available');
  }
  if ((status.readyReplicas ?? 0) < desired) out.unstable('Waiting for all replicas to be ready');
}

function replicaSetStatus(manifest: Manifest, out: StatusBuilder): void {
  const status = manifest.status;
  if (!status) return void out.unstable('No status reported yet').unavailable('No availability reported');
  if (generationLags(manifest)) return void out.unstable('Waiting for replicaset spec update to be observed');
  const desired = manifest.spec?.replicas ?? 1;
  if ((status.fullyLabeledReplicas ?? status.replicas ?? 0) < desired) return void out.unstable('Waiting for all replicas to be fully-labeled');
  if ((status.availableReplicas ?? 0) < desired) {
    out.unavailable('Not all replicas are available');
    return void out.unstable('Waiting for all replicas to be available');
  }
  if ((status.readyReplicas ?? 0) < desired) out.unstable('Waiting for all replicas to be ready');
}

function statefulSetStatus(manifest: Manifest, out: StatusBuilder): void {
  const status = manifest.status;
  if (!status) return void out.unstable('No status reported yet').unavailable('No availability reported');
  if (generationLags(manifest)) return void out.unstable('Waiting for status generation to match updated object generation');
  const desired = manifest.spec?.replicas ?? 1;
  if ((status.readyReplicas ?? 0) < desired) {
    out.unavailable('Not all replicas are ready');
    return void out.unstable('Waiting for all replicas to be ready');
  }
  if (manifest.spec?.updateStrategy?.type !== 'OnDelete' && status.updateRevision && status.currentRevision !== status.updateRevision) {
    out.unstable('Waiting for the updated revision to match the current revision');
  }
}

function daemonSetStatus(manifest: Manifest, out: StatusBuilder): void {
  const status = manifest.status;
  if (!status) return void out.unstable('No status reported yet').unavailable('No availability reported');
  if (generationLags(manifest)) return void out.unstable('Waiting for status generation to match updated object generation');
  const desired = status.desiredNumberScheduled ?? 0;
  if ((status.updatedNumberScheduled ?? 0) < desired) return void out.unstable('Waiting for all updated replicas to be scheduled');
  if ((status.numberAvailable ?? 0) < desired) {
    out.unavailable('Not all replicas are available');
    return void out.unstable('Waiting for all replicas to be available');
  }
  if ((status.numberReady ?? 0) < desired) out.unstable('Waiting for all replicas to be ready');
}

function podStatus(manifest: Manifest, out: StatusBuilder): void {
  const phase = manifest.status?.phase;
  if (phase === 'Failed') out.failed = { state: true, message: manifest.status?.message ?? 'Pod failed' };
  if (phase === 'Pending' || phase === undefined) out.unstable(`Pod is ${phase ?? 'not scheduled yet'}`).unavailable('Pod is not running');
  const ready = condition(manifest.status, 'Ready');
  if (phase === 'Running' && ready?.status === 'False') out.unstable('Pod is not ready').unavailable('Pod is not ready');
}

/** A Job is stable once it succeeded `spec.completions` times (default 1); a `Failed` condition fails it. */
function jobStatus(manifest: Manifest, out: StatusBuilder): void {
  const status = manifest.status;
  if (!status) return void out.unstable('No status reported yet').unavailable('No availability reported');
  if ((status.succeeded ?? 0) >= (manifest.spec?.completions ?? 1)) return;
  const failed = (status.conditions ?? []).find(
    (c: { type?: string; status?: string }) => c.type?.toLowerCase() === 'failed' && c.status?.toLowerCase() === 'true',
  );
  if (failed) out.failed = { state: true, message: failed.message };
  else out.unstable('Waiting for jobs to finish');
}

/**
 * The status of a live manifest, computed per kind as Clouddriver's kind handlers do (Deployment,
 * ReplicaSet, StatefulSet, DaemonSet, Pod and Job have rollout logic; every other kind is stable once it exists).
 */
export function manifestStatus(manifest: Manifest): ManifestStatus {
  const out = new StatusBuilder();
  switch (manifest.kind) {
    case 'Deployment':
      deploymentStatus(manifest, out);
      break;
    case 'ReplicaSet':
      replicaSetStatus(manifest, out);
      break;
    case 'StatefulSet':
      statefulSetStatus(manifest, out);
      break;
    case 'DaemonSet':
      daemonSetStatus(manifest, out);
      break;
    case 'Pod':
      podStatus(manifest, out);
      break;
    case 'Job':
      jobStatus(manifest, out);
      break;
    default:
      break;
  }
  return out.build();
}
