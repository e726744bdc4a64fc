import type { V1ContainerState, V1ContainerStatus } from '@kubernetes/client-node';
import { accountCoversNamespace } from '../accounts/kubernetes-account.js';
import type { Manifest } from '../kubernetes-client.js';
import { BUILT_IN_KINDS, JOB_KIND } from '../kubernetes-kind.js';
import type { KubernetesRuntime } from '../accounts/kubernetes-runtime.js';
import { extractPropertiesFromLog } from './property-parser.js';

const POD_KIND = BUILT_IN_KINDS.find((k) => k.kind === 'Pod')!;

export type JobState = 'Running' | 'Failed' | 'Succeeded';

/** Clouddriver's `KubernetesJobStatus` JSON, which Orca's `WaitOnJobCompletion` polls. */
export interface KubernetesJobStatus {
  readonly name: string;
  readonly cluster: string | null;
  readonly account: string;
  readonly id: string | null;
  readonly location: string;
  readonly provider: 'kubernetes';
  readonly createdTime: number | null;
  readonly completedTime: number | null;
  readonly message: string | null;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly signal: number | null;
  readonly failureDetails: string | null;
  readonly logs: string | null;
  readonly pods: { name: string; status: unknown }[];
  readonly mostRecentPodName: string | null;
  readonly jobState: JobState;
  readonly completionDetails: { exitCode: string; signal: string; message: string; reason: string };
}

/** `job pi-x7k2q` or `pi-x7k2q` → `pi-x7k2q`; any other kind is not a job. */
export function jobNameOf(id: string): string | undefined {
  const match = /^\s*(?:(\S+)\s+)?(\S+)\s*$/.exec(id);
  if (!match) return undefined;
  if (match[1] !== undefined && match[1].toLowerCase() !== 'job') return undefined;
  return match[2];
}

const epoch = (timestamp: unknown) => {
  const value = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(value) ? null : value;
};

function failedCondition(job: Manifest): { message?: string; reason?: string } | undefined {
  return (job.status?.conditions ?? []).find(
    (c: { type?: string; status?: string }) => c.type?.toLowerCase() === 'failed' && c.status?.toLowerCase() === 'true',
  );
}

/** Clouddriver's rule: no status is Running; fewer successes than completions is Failed (with a Failed condition) or Running. */
export function jobStateOf(job: Manifest): JobState {
  if (!job.status) return 'Running';
  const completions = Number(job.spec?.completions ?? 1);
  const succeeded = Number(job.status.succeeded ?? 0);
  if (succeeded < completions) return failedCondition(job) ? 'Failed' : 'Running';
  return 'Succeeded';
}

/** The first container that exited non-zero (else the first one waiting), described as Clouddriver does. */
function failureDetailsOf(pods: Manifest[]): string | null {
  for (const pod of pods) {
    // A pod's status as the API server writes it (the manifest itself is untyped JSON).
    const containerStatuses: V1ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const statuses = containerStatuses.filter((s): s is V1ContainerStatus & { state: V1ContainerState } => Boolean(s.state));
    const terminated = statuses.find((s) => s.state.terminated && s.state.terminated.exitCode !== undefined && s.state.terminated.exitCode !== 0);
    const chosen = terminated ?? statuses.find((s) => s.state.waiting);
    if (!chosen) continue;
    const state = chosen.state.terminated ?? chosen.state.waiting;
    const exitCode = chosen.state.terminated ? String(chosen.state.terminated.exitCode ?? '') : '';
    return `Pod: '${pod.metadata?.name}' had errors.\n Container: '${chosen.name}' exited with code: ${exitCode}.\n Status: ${state?.reason ?? ''}.\n Logs: ${state?.message ?? ''}`;
  }
  return null;
}

/**
 * Clouddriver's `KubernetesJobProvider`: a Job's status read live (with its pods, oldest first by
 * start time), its output properties parsed from a container's log, and a pod's properties. Returns
 * `undefined` when the account, namespace or Job is unknown to the account.
 */
export class KubernetesJobProvider {
  constructor(private readonly runtime: KubernetesRuntime) {}

  async collectJob(account: string, location: string, id: string): Promise<KubernetesJobStatus | undefined> {
    const found = await this.job(account, location, id);
    if (!found) return undefined;
    const { job, pods } = found;
    const state = jobStateOf(job);
    const condition = state === 'Failed' ? failedCondition(job) : undefined;
    const message = condition?.message ?? null;
    const reason = condition?.reason ?? null;
    return {
      name: job.metadata!.name,
      cluster: null,
      account,
      id: null,
      location: job.metadata!.namespace,
      provider: 'kubernetes',
      createdTime: epoch(job.metadata?.creationTimestamp),
      completedTime: epoch(job.status?.completionTime),
      message,
      reason,
      exitCode: null,
      signal: null,
      failureDetails: state === 'Failed' ? failureDetailsOf(pods) : null,
      logs: null,
      pods: pods.map((pod) => ({ name: pod.metadata!.name, status: pod.status ?? null })),
      mostRecentPodName: pods.length > 0 ? pods[pods.length - 1]!.metadata!.name : null,
      jobState: state,
      completionDetails: { exitCode: '', signal: '', message: message ?? '', reason: reason ?? '' },
    };
  }

  /** Deletes the Job and its pods (Orca cancels a Run Job stage this way). `false` when there is no such Job. */
  async cancelJob(account: string, location: string, id: string): Promise<boolean> {
    const name = jobNameOf(id);
    const credentials = this.runtime.account(account);
    if (!name || !credentials || !accountCoversNamespace(credentials, location)) return false;
    try {
      await this.runtime.client(account).delete(JOB_KIND, location, name, { propagationPolicy: 'Background' });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return false;
      throw error;
    }
  }

  /**
   * The properties a Job's container printed (`fileName` is the container, as in Clouddriver): the
   * log of the Job's newest pod, parsed. `{}` when the Job, container or log cannot be read.
   */
  async getFileContents(account: string, location: string, id: string, container: string): Promise<Record<string, unknown> | undefined> {
    const credentials = this.runtime.account(account);
    if (!credentials || !accountCoversNamespace(credentials, location)) return undefined;
    // An unknown Job has no properties (`{}`), as Clouddriver answers; Orca then tries the pod.
    const found = await this.job(account, location, id);
    if (!found) return {};
    const pod = [...found.pods].reverse().find((p) => p.status?.phase === 'Succeeded') ?? found.pods[found.pods.length - 1];
    if (!pod) return {};
    return this.podProperties(account, location, pod.metadata!.name, container);
  }

  /** The properties a pod's container printed; `{}` when they cannot be read. */
  async getFileContentsFromPod(account: string, namespace: string, pod: string, container: string): Promise<Record<string, unknown> | undefined> {
    const credentials = this.runtime.account(account);
    if (!credentials || !accountCoversNamespace(credentials, namespace)) return undefined;
    return this.podProperties(account, namespace, pod, container);
  }

  private async podProperties(account: string, namespace: string, pod: string, container: string): Promise<Record<string, unknown>> {
    try {
      return extractPropertiesFromLog(await this.runtime.client(account).podLogs(namespace, pod, container));
    } catch {
      // As Clouddriver: a log that cannot be read or parsed yields no properties (Orca then retries or fails the stage).
      return {};
    }
  }

  private async job(account: string, location: string, id: string): Promise<{ job: Manifest; pods: Manifest[] } | undefined> {
    const name = jobNameOf(id);
    const credentials = this.runtime.account(account);
    if (!name || !credentials || !accountCoversNamespace(credentials, location)) return undefined;
    const client = this.runtime.client(account);
    this.runtime.touch(account);
    const job = await client.get(JOB_KIND, location, name);
    if (!job) return undefined;
    const matchLabels: Record<string, string> = job.spec?.selector?.matchLabels ?? {};
    const selector = Object.entries(matchLabels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const pods = selector ? (await client.list(POD_KIND, location, selector)).items : [];
    const started = (pod: Manifest) => epoch(pod.status?.startTime) ?? Number.MAX_SAFE_INTEGER;
    pods.sort((a, b) => started(a) - started(b));
    return { job, pods };
  }
}
