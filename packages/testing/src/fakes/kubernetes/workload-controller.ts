import { createHash } from 'node:crypto';
import type { FakeKubernetesCluster, KubeObject } from './fake-kubernetes-cluster.js';
import { randomSuffix } from './fake-kubernetes-cluster.js';
import { JobController } from './job-controller.js';
import type { FakeResourceType } from './resource-types.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

/**
 * The controllers of the fake cluster, simple enough for rollout status and undo:
 * - Deployment → ReplicaSet: the ReplicaSet whose `pod-template-hash` matches the Deployment's
 *   template gets all replicas and the highest revision (a new one is created when none matches,
 *   an old one is reused on rollback); the others go to 0. A paused Deployment does not roll.
 * - ReplicaSet → Pod: creates or deletes Running, Ready pods to match `spec.replicas`.
 * - StatefulSet, DaemonSet: status reports every replica ready at once.
 * Statuses (observedGeneration, replicas, updated/ready/available, conditions) are written so that
 * the usual "is the rollout done" checks pass once a change is reconciled. Everything is synchronous.
 */
export class WorkloadController {
  private running = false;
  private dirty = false;
  /** Jobs run their pods to completion (kept in its own module). */
  readonly jobs: JobController;

  constructor(private readonly cluster: FakeKubernetesCluster) {
    this.jobs = new JobController(cluster, cluster.jobDurationMs);
  }

  reconcile(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = true;
    try {
      let rounds = 0;
      do {
        this.dirty = false;
        for (const deployment of this.cluster.list(this.type('Deployment'))) this.reconcileDeployment(deployment);
        for (const rs of this.cluster.list(this.type('ReplicaSet'))) this.reconcileReplicaSet(rs);
        for (const deployment of this.cluster.list(this.type('Deployment'))) this.writeDeploymentStatus(deployment);
        for (const sts of this.cluster.list(this.type('StatefulSet'))) this.reconcileStatefulSet(sts);
        for (const ds of this.cluster.list(this.type('DaemonSet'))) this.reconcileDaemonSet(ds);
        this.jobs.reconcile();
      } while (this.dirty && ++rounds < 10);
    } finally {
      this.running = false;
    }
  }

  private type(kind: string): FakeResourceType {
    return this.cluster.types.find((t) => t.kind === kind)!;
  }

  private owned(kind: string, owner: KubeObject): KubeObject[] {
    return this.cluster
      .list(this.type(kind), owner.metadata!.namespace)
      .filter((o) => (o.metadata?.ownerReferences ?? []).some((ref: { uid: string }) => ref.uid === owner.metadata!.uid));
  }

  private reconcileDeployment(deployment: KubeObject): void {
    const meta = deployment.metadata!;
    const template = structuredClone(deployment.spec?.template ?? {});
    const hash = templateHash(template);
    const replicaSets = this.owned('ReplicaSet', deployment);
    const maxRevision = Math.max(0, ...replicaSets.map((rs) => Number(rs.metadata?.annotations?.[REVISION] ?? 0)));
    let current = replicaSets.find((rs) => rs.metadata?.labels?.[HASH_LABEL] === hash);
    const desired = deployment.spec?.replicas ?? 1;
    const rsType = this.type('ReplicaSet');

    if (deployment.spec?.paused) {
      // Paused: no new rollout; scaling still applies to the ReplicaSet in service.
      const inService = current ?? replicaSets.find((rs) => Number(rs.metadata?.annotations?.[REVISION]) === maxRevision);
      if (inService && inService.spec?.replicas !== desired) this.setReplicas(inService, desired);
      return;
    }
    if (!current) {
      const labels = { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash };
      current = this.cluster.create(rsType, meta.namespace, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${meta.name}-${hash}`,
          namespace: meta.namespace,
          labels,
          annotations: { [REVISION]: String(maxRevision + 1), ...pick(meta.annotations, /^(moniker|artifact)\.spinnaker\.io\//) },
          ownerReferences: [ownerReference(deployment)],
        },
        spec: {
          replicas: desired,
          selector: { matchLabels: { ...(deployment.spec?.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
          template: { ...template, metadata: { ...template.metadata, labels } },
        },
      });
      this.event(deployment, 'ScalingReplicaSet', `Scaled up replica set ${current.metadata!.name} to ${desired}`);
    } else {
      if (Number(current.metadata?.annotations?.[REVISION]) !== maxRevision) {
        current.metadata!.annotations = { ...current.metadata!.annotations, [REVISION]: String(maxRevision + 1) };
        this.cluster.writeQuietly(rsType, current);
      }
      if (current.spec?.replicas !== desired) {
        this.setReplicas(current, desired);
        this.event(deployment, 'ScalingReplicaSet', `Scaled replica set ${current.metadata!.name} to ${desired}`);
      }
    }
    for (const rs of replicaSets) {
      if (rs.metadata!.uid !== current.metadata!.uid && (rs.spec?.replicas ?? 0) !== 0) {
        this.setReplicas(rs, 0);
        this.event(deployment, 'ScalingReplicaSet', `Scaled down replica set ${rs.metadata!.name} to 0`);
      }
    }
  }

  private writeDeploymentStatus(deployment: KubeObject): void {
    const replicaSets = this.owned('ReplicaSet', deployment);
    const hash = templateHash(structuredClone(deployment.spec?.template ?? {}));
    const current = replicaSets.find((rs) => rs.metadata?.labels?.[HASH_LABEL] === hash);
    const total = replicaSets.reduce((sum, rs) => sum + (rs.status?.replicas ?? 0), 0);
    const updated = current?.status?.replicas ?? 0;
    const paused = Boolean(deployment.spec?.paused);
    const next = structuredClone(deployment);
    if (current) next.metadata!.annotations = { ...next.metadata!.annotations, [REVISION]: current.metadata!.annotations?.[REVISION] };
    next.status = {
      observedGeneration: deployment.metadata!.generation,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: total,
      availableReplicas: total,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        paused
          ? { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }
          : {
              type: 'Progressing',
              status: 'True',
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${current?.metadata?.name}" has successfully progressed.`,
            },
      ],
    };
    this.cluster.writeQuietly(this.type('Deployment'), next);
  }

  private reconcileReplicaSet(rs: KubeObject): void {
    const podType = this.type('Pod');
    const pods = this.owned('Pod', rs);
    const desired = rs.spec?.replicas ?? 1;
    for (let i = pods.length; i < desired; i++) {
      const template = rs.spec?.template ?? {};
      this.cluster.create(podType, rs.metadata!.namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${rs.metadata!.name}-${randomSuffix()}`,
          namespace: rs.metadata!.namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          annotations: { ...(template.metadata?.annotations ?? {}) },
          ownerReferences: [ownerReference(rs)],
        },
        spec: structuredClone(template.spec ?? {}),
        status: {
          phase: 'Running',
          podIP: `10.0.0.${1 + Math.floor(Math.random() * 250)}`,
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'ContainersReady', status: 'True' },
          ],
          containerStatuses: (template.spec?.containers ?? []).map((c: { name: string; image: string }) => ({
            name: c.name,
            image: c.image,
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: new Date().toISOString() } },
          })),
        },
      });
    }
    for (const pod of pods.slice(desired)) this.cluster.remove(podType, pod, 'Background');
    const count = Math.min(pods.length, desired) + Math.max(0, desired - pods.length);
    const next = structuredClone(rs);
    next.status = { replicas: count, fullyLabeledReplicas: count, readyReplicas: count, availableReplicas: count, observedGeneration: rs.metadata!.generation };
    this.cluster.writeQuietly(this.type('ReplicaSet'), next);
  }

  private reconcileStatefulSet(sts: KubeObject): void {
    const replicas = sts.spec?.replicas ?? 1;
    const revision = `${sts.metadata!.name}-${templateHash(structuredClone(sts.spec?.template ?? {}))}`;
    const next = structuredClone(sts);
    next.status = {
      observedGeneration: sts.metadata!.generation,
      replicas,
      readyReplicas: replicas,
      currentReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: replicas,
      currentRevision: revision,
      updateRevision: revision,
    };
    this.cluster.writeQuietly(this.type('StatefulSet'), next);
  }

  private reconcileDaemonSet(ds: KubeObject): void {
    const next = structuredClone(ds);
    next.status = {
      observedGeneration: ds.metadata!.generation,
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      numberMisscheduled: 0,
    };
    this.cluster.writeQuietly(this.type('DaemonSet'), next);
  }

  private setReplicas(rs: KubeObject, replicas: number): void {
    const next = structuredClone(rs);
    next.spec = { ...next.spec, replicas };
    next.metadata!.generation = (rs.metadata!.generation ?? 1) + 1;
    this.cluster.writeQuietly(this.type('ReplicaSet'), next);
  }

  private event(involved: KubeObject, reason: string, message: string): void {
    const meta = involved.metadata!;
    this.cluster.create(this.type('Event'), meta.namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${meta.name}.${randomSuffix(10)}`, namespace: meta.namespace },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: meta.name, namespace: meta.namespace, uid: meta.uid },
      reason,
      message,
      type: 'Normal',
      count: 1,
      firstTimestamp: new Date().toISOString(),
      lastTimestamp: new Date().toISOString(),
      source: { component: 'deployment-controller' },
    });
  }
}

/** The hash a Deployment controller labels ReplicaSets with: stable for equal pod templates. */
export function templateHash(template: KubeObject): string {
  const clean = structuredClone(template);
  if (clean.metadata?.labels) delete clean.metadata.labels[HASH_LABEL];
  const digest = createHash('sha256')
    .update(JSON.stringify(sortKeys(clean)))
    .digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

function ownerReference(owner: KubeObject): Record<string, unknown> {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata!.name, uid: owner.metadata!.uid, controller: true, blockOwnerDeletion: true };
}

function pick(map: Record<string, string> | undefined, pattern: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => pattern.test(k)));
}
