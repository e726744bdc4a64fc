import type { CounterMetric, GaugeMetric, MetricsRegistry } from '../metrics/metrics-registry.js';
import { NOOP_METRICS } from '../metrics/metrics-registry.js';
import { DualTaskRepository, type DualTaskRepositoryOptions } from './dual-task-repository.js';
import { mirrorTask } from './mirror-task.js';
import type { MirrorRetryQueue } from './mirror-retry-queue.js';
import { TaskConflictError, type TaskCheckpoint, type TaskRecord, type TaskScope, type TaskState } from './task.js';
import type { CreateTaskResult, TaskRepository } from './task-repository.js';

export interface DualWriteTaskRepositoryOptions extends DualTaskRepositoryOptions {
  /** Task ids whose copy in one store is behind (failed mirror writes), retried until they land. */
  readonly retryQueue: MirrorRetryQueue;
  /**
   * Stable names of the two stores (e.g. a hash of their config), kept with each queued id so a
   * queue that survives a restart with primary and previous swapped (a rollback) still copies in
   * the right direction: from the store that has the write to the one that missed it.
   */
  readonly labels: { readonly primary: string; readonly previous: string };
  /** How often the queue is retried (default 5 s). */
  readonly retryIntervalMs?: number;
  readonly metrics?: MetricsRegistry;
}

/**
 * Dual-write task migration (`dualTaskRepository.mode: dual-write`): reads and request-id checks as
 * in read-through mode, but every task created in the primary is also written to the previous store
 * and every later change is copied there too, so both stores hold every new task whole and rolling
 * back is swapping primary and previous in the config. A copy that fails or is slow never fails the
 * caller: the task id goes to a bounded durable queue, retried in the background, and is counted
 * (`stratus_task_mirror_failures_total`, `stratus_task_mirror_pending`, readiness details).
 * Tasks older than the migration live in the previous store only and are updated there, as in
 * read-through mode (`stratus migrate tasks` copies them).
 */
export class DualWriteTaskRepository extends DualTaskRepository {
  private readonly queue: MirrorRetryQueue;
  private readonly labels: { readonly primary: string; readonly previous: string };
  /** The running (or last) copy per task id: copies of one task never overlap. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly timer: NodeJS.Timeout;
  private readonly failures: CounterMetric;
  private readonly pendingGauge: GaugeMetric;
  private failureCount = 0;
  private droppedCount = 0;
  /** Copies the full queue refused, so later failures of the same task are not counted again. */
  private readonly dropped = new Set<string>();
  private conflictCount = 0;
  private retrying = false;
  private closed = false;

  constructor(primary: TaskRepository, previous: TaskRepository, options: DualWriteTaskRepositoryOptions) {
    super(primary, previous, options);
    (this as { kind: string }).kind = `dual-write(${primary.kind}->${previous.kind})`;
    this.queue = options.retryQueue;
    this.labels = options.labels;
    const metrics = options.metrics ?? NOOP_METRICS;
    this.failures = metrics.counter('task_mirror_failures_total', 'Task writes that did not reach the second store of a dual-write migration at once', [
      'result',
    ]);
    this.pendingGauge = metrics.gauge('task_mirror_pending', 'Tasks whose copy in the second store of a dual-write migration is behind (queued for retry)');
    this.pendingGauge.set({}, this.queue.size);
    this.timer = setInterval(() => void this.retryQueued(), options.retryIntervalMs ?? 5000);
    this.timer.unref();
  }

  override async create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult> {
    const result = await super.create(phase, status, clientRequestId, ownerId, scope);
    if (result.created) await this.mirror(result.task.id, 'previous');
    return result;
  }

  /** Writes to the task's home; a primary task's change is then copied to the previous store. */
  private async write<T>(id: string, call: (repository: TaskRepository) => Promise<T>, copy: (result: T) => boolean = () => true): Promise<T> {
    const home = await this.homeOf(id);
    const result = await call(home);
    if (home === this.primary && copy(result)) await this.mirror(id, 'previous');
    return result;
  }

  override appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void> {
    return this.write(id, (repository) => repository.appendStatus(id, phase, status, state, ownerId));
  }

  override addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void> {
    return this.write(id, (repository) => repository.addResultObjects(id, objects, ownerId));
  }

  override addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void> {
    return this.write(id, (repository) => repository.addOutput(id, output, ownerId));
  }

  override updateOwnerId(id: string, ownerId: string): Promise<void> {
    return this.write(id, (repository) => repository.updateOwnerId(id, ownerId));
  }

  override saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void> {
    return this.write(id, (repository) => repository.saveCheckpoint(id, checkpoint, ownerId));
  }

  override takeOver(id: string, expected: { ownerId: string; leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean> {
    return this.write(
      id,
      (repository) => repository.takeOver(id, expected, newOwnerId),
      (taken) => taken,
    );
  }

  /**
   * Renewals are frequent and carry no task content: the previous copy's lease is renewed
   * best-effort (a missed renewal only matters after a rollback, where the owner renews again).
   */
  override async renewLease(id: string, ownerId: string): Promise<boolean> {
    const home = await this.homeOf(id);
    const renewed = await home.renewLease(id, ownerId);
    if (renewed && home === this.primary) {
      void this.fromPrevious('renewLease', () => this.previous.renewLease(id, ownerId), false);
    }
    return renewed;
  }

  override async importTask(task: TaskRecord): Promise<boolean> {
    const imported = await super.importTask(task);
    if (imported) await this.mirror(task.id, 'previous');
    return imported;
  }

  /**
   * Copies the task to the store named by `to` (the previous one, or the primary when a queued id
   * from before a rollback says so), within the previous store's timeout. Never throws: a failure
   * or a timeout queues the id; a request-id clash cannot heal and is only counted and logged.
   */
  private async mirror(id: string, to: 'previous' | 'primary'): Promise<boolean> {
    const [source, target] = to === 'previous' ? [this.primary, this.previous] : [this.previous, this.primary];
    const run = (this.chains.get(id) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const record = await source.get(id);
        if (!record) throw new Error(`task ${id} is missing from ${source.kind}, the store it is copied from`);
        return mirrorTask(record, target);
      });
    this.chains.set(id, run);
    void run
      .finally(() => {
        if (this.chains.get(id) === run) this.chains.delete(id);
      })
      .catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        run,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof TaskConflictError) {
        this.conflictCount += 1;
        this.failures.inc({ result: 'conflict' });
        this.logger.error(
          { err: error, taskId: id, store: target.kind },
          'task copy refused: another task holds its clientRequestId there; resolve by hand (stratus migrate verify tasks)',
        );
        return false;
      }
      await this.enqueue(id, to, error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private async enqueue(id: string, to: 'previous' | 'primary', error: unknown): Promise<void> {
    const entry = `${this.labels[to]}|${id}`;
    const wasQueued = this.queue.has(entry) || this.dropped.has(entry);
    let accepted: boolean;
    try {
      accepted = await this.queue.add(entry);
    } catch (persistError) {
      this.logger.error({ err: persistError, file: this.queue.file }, 'cannot persist the task copy retry queue');
      accepted = this.queue.has(entry);
    }
    this.pendingGauge.set({}, this.queue.size);
    if (wasQueued) return;
    this.failureCount += 1;
    this.failures.inc({ result: accepted ? 'queued' : 'dropped' });
    if (!accepted) {
      this.droppedCount += 1;
      if (this.dropped.size < 100_000) this.dropped.add(entry);
    }
    this.logger.warn(
      { err: error, taskId: id, store: (to === 'previous' ? this.previous : this.primary).kind, queued: accepted, pending: this.queue.size },
      accepted
        ? 'task copy to the second store failed; queued for retry'
        : 'task copy to the second store failed and the retry queue is full; run stratus migrate tasks before switching stores',
    );
  }

  /** One pass over the queue: every id whose copy now lands leaves it. */
  async retryQueued(): Promise<number> {
    if (this.retrying || this.closed) return 0;
    this.retrying = true;
    let landed = 0;
    try {
      for (const entry of this.queue.ids()) {
        const cut = entry.indexOf('|');
        const label = entry.slice(0, cut);
        const id = entry.slice(cut + 1);
        const to = label === this.labels.previous ? 'previous' : label === this.labels.primary ? 'primary' : undefined;
        if (!to) {
          this.logger.warn({ taskId: id }, 'queued task copy names a store this server no longer uses; dropped');
          await this.queue.remove(entry);
          continue;
        }
        // Still failing: `mirror` finds the entry queued and leaves it (counted once, when first queued).
        if (await this.mirror(id, to)) {
          await this.queue.remove(entry);
          landed += 1;
        }
        if (this.closed) break;
      }
    } finally {
      this.retrying = false;
      this.pendingGauge.set({}, this.queue.size);
    }
    return landed;
  }

  /** How far the previous copy is behind, for the readiness details (`taskCopies`). Readiness itself follows the primary (`ping`, inherited). */
  status(): Record<string, unknown> {
    return {
      mode: 'dual-write',
      pendingCopies: this.queue.size,
      failedCopies: this.failureCount,
      droppedCopies: this.droppedCount,
      conflicts: this.conflictCount,
      retryQueueDurable: this.queue.durable,
    };
  }

  override async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    // Copies under way finish (or time out) before the connections go.
    await Promise.race([Promise.allSettled([...this.chains.values()]), new Promise((resolve) => setTimeout(resolve, this.timeoutMs))]);
    await super.close();
  }
}
