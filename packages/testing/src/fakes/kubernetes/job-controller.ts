import type { FakeKubernetesCluster, KubeObject } from './fake-kubernetes-cluster.js';
import { randomSuffix } from './fake-kubernetes-cluster.js';
import { runContainerScript } from './pod-logs.js';
import type { FakeResourceType } from './resource-types.js';

const JOB_NAME_LABEL = 'job-name';
const BATCH_JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const CONTROLLER_UID_LABEL = 'controller-uid';

/**
 * The fake cluster's Job controller: a new Job gets its selector and pod labels defaulted (as the
 * API server does), then one Running pod per completion; `durationMs` later each pod "runs" its
 * containers ({@link runContainerScript}: what they echo becomes their log, `exit N` their exit
 * code) and ends Succeeded or Failed, and the Job gets `succeeded`/`failed` counts, a completion
 * time and a `Complete` or `Failed` condition. Events record each step, as the real controller's do.
 */
export class JobController {
  /** Jobs (by uid) whose pods were started, so a pod deleted by hand is not re-created. */
  private readonly started = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly cluster: FakeKubernetesCluster,
    private readonly durationMs: number,
  ) {}

  reconcile(): void {
    for (const job of this.cluster.list(this.type('Job'))) {
      const uid = job.metadata!.uid as string;
      if (this.started.has(uid) || isFinished(job)) continue;
      this.started.add(uid);
      const next = structuredClone(job);
      const podLabels = { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: job.metadata!.name, [BATCH_JOB_NAME_LABEL]: job.metadata!.name };
      next.spec = { ...next.spec, selector: next.spec?.selector ?? { matchLabels: { [CONTROLLER_UID_LABEL]: uid } } };
      const template = (next.spec.template ??= {});
      template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), ...podLabels } };
      const completions = Math.max(1, Number(next.spec.completions ?? 1) || 1);
      const startTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      next.status = { startTime, active: completions };
      this.cluster.writeQuietly(this.type('Job'), next);
      for (let i = 0; i < completions; i++) this.startPod(next, podLabels);
    }
  }

  /** Cancels pending pod completions (the cluster is going away). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private startPod(job: KubeObject, labels: Record<string, string>): void {
    const meta = job.metadata!;
    const template = job.spec?.template ?? {};
    const containers: { name: string; image: string }[] = template.spec?.containers ?? [];
    const pod = this.cluster.create(this.type('Pod'), meta.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${meta.name}-${randomSuffix()}`,
        namespace: meta.namespace,
        labels: { ...(template.metadata?.labels ?? {}), ...labels },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: meta.name, uid: meta.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(template.spec ?? {}),
      status: {
        phase: 'Running',
        startTime: new Date().toISOString(),
        podIP: `10.0.1.${1 + Math.floor(Math.random() * 250)}`,
        containerStatuses: containers.map((c) => ({
          name: c.name,
          image: c.image,
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: new Date().toISOString() } },
        })),
      },
    });
    this.event(job, 'SuccessfulCreate', `Created pod: ${pod.metadata!.name}`, 'job-controller');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.finishPod(meta.namespace, meta.name, pod.metadata!.name);
    }, this.durationMs);
    timer.unref();
    this.timers.add(timer);
  }

  private finishPod(namespace: string, jobName: string, podName: string): void {
    const pod = this.cluster.get(this.type('Pod'), namespace, podName);
    if (!pod) return;
    const containers: { name: string; image: string; command?: unknown; args?: unknown }[] = [
      ...(pod.spec?.initContainers ?? []),
      ...(pod.spec?.containers ?? []),
    ];
    const finishedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const results = containers.map((c) => ({ container: c, ...runContainerScript(c) }));
    for (const result of results) this.cluster.podLogs.set(namespace, podName, result.container.name, result.output);
    const failed = results.find((r) => r.exitCode !== 0);
    const next = structuredClone(pod);
    next.status = {
      ...next.status,
      phase: failed ? 'Failed' : 'Succeeded',
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
      containerStatuses: results
        .filter((r) => (pod.spec?.containers ?? []).some((c: { name: string }) => c.name === r.container.name))
        .map((r) => ({
          name: r.container.name,
          image: r.container.image,
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: r.exitCode, reason: r.exitCode === 0 ? 'Completed' : 'Error', startedAt: pod.status?.startTime, finishedAt } },
        })),
    };
    this.cluster.writeQuietly(this.type('Pod'), next);

    const job = this.cluster.get(this.type('Job'), namespace, jobName);
    if (!job || isFinished(job)) return;
    const status = { ...job.status };
    status.active = Math.max(0, (status.active ?? 1) - 1);
    if (failed) status.failed = (status.failed ?? 0) + 1;
    else status.succeeded = (status.succeeded ?? 0) + 1;
    const completions = Math.max(1, Number(job.spec?.completions ?? 1) || 1);
    if (failed) {
      status.conditions = [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          lastTransitionTime: finishedAt,
        },
      ];
      this.event(job, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit', 'job-controller', 'Warning');
    } else if (status.succeeded >= completions) {
      status.completionTime = finishedAt;
      status.conditions = [{ type: 'Complete', status: 'True', lastTransitionTime: finishedAt }];
      this.event(job, 'Completed', 'Job completed', 'job-controller');
    }
    this.cluster.writeQuietly(this.type('Job'), { ...job, status });
  }

  private event(involved: KubeObject, reason: string, message: string, component: string, type = 'Normal'): void {
    const meta = involved.metadata!;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    this.cluster.create(this.type('Event'), meta.namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${meta.name}.${randomSuffix(10)}`, namespace: meta.namespace },
      involvedObject: { apiVersion: involved.apiVersion, kind: involved.kind, name: meta.name, namespace: meta.namespace, uid: meta.uid },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component },
    });
  }

  private type(kind: string): FakeResourceType {
    return this.cluster.types.find((t) => t.kind === kind)!;
  }
}

function isFinished(job: KubeObject): boolean {
  return (job.status?.conditions ?? []).some((c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
