import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ArtifactDownloadService, Logger, OperationContext, OperationSteps, SnapshotStore } from '@stratus/plugin-api';
import { inject, injectable } from 'tsyringe';
import type { AccountLookup } from '../security/account-lookup.js';
import { METRICS, type CounterMetric, type HistogramMetric, type MetricsRegistry } from '../metrics/metrics-registry.js';
import { canReadTask, canWriteTask } from '../security/authorization.js';
import { MAX_CLIENT_REQUEST_ID_LENGTH, scopedRequestId } from '../tasks/client-request-id.js';
import { OPEN_ACCESS, type CallerAccess } from '../security/caller-access.js';
import { currentLine, type TaskCheckpoint, type TaskRecord, type TaskScope } from '../tasks/task.js';
import type { TaskRepository } from '../tasks/task-repository.js';
import { ACCOUNT_LOOKUP, LOGGER, NODE_ID, TASK_REPOSITORY } from '../tokens.js';
import {
  InvalidOperationPayloadError,
  OperationAccessDeniedError,
  OperationRequestError,
  TaskAccessDeniedError,
  TaskNotResumableError,
  TaskNotRetryableError,
  TaskNotRunningError,
} from './operation-errors.js';
import type { OperationRegistry } from './operation-registry.js';
import { OperationPreparer, type PreparedOperation } from './operation-preparer.js';
import { TaskBookkeeper } from './task-bookkeeper.js';
import { TaskLeaseKeeper } from './task-lease-keeper.js';
import { DEFAULT_OPERATION_LIMITS, OPERATION_LIMITS, OPERATION_REGISTRY, type OperationLimits } from './tokens.js';

/** The phase of the orchestration's own history lines (Clouddriver's `TASK_PHASE`). */
export const ORCHESTRATION_PHASE = 'ORCHESTRATION';

/** One `POST …/ops` request. */
export interface SubmitOperationsRequest {
  /** From the path; absent for the legacy `POST /ops`, where each description's `cloudProvider` decides. */
  readonly cloudProvider?: string;
  /** From the path of `POST …/ops/{name}`; the body is then one description. */
  readonly operationName?: string;
  /** The request body. */
  readonly body: unknown;
  /** The idempotency key as the caller sent it (scoped to the caller before use); a random one when absent. */
  readonly clientRequestId?: string | undefined;
  readonly access: CallerAccess;
}

/** A request re-run under an existing task: its stored (already scoped) request key. */
interface InternalRequest extends SubmitOperationsRequest {
  readonly storedRequestId?: string;
  /** Restart/resume: the operations may only touch these accounts (the task's own). */
  readonly withinAccounts?: readonly string[];
}

/** Clouddriver's `StartOperationResult`. */
export interface StartOperationResult {
  readonly id: string;
  readonly resourceUri: string;
}

/** Raised when operations are submitted while the server shuts down. */
export class OperationsShuttingDownError extends OperationRequestError {
  readonly status = 503;
  constructor() {
    super('The server is shutting down and accepts no new operations');
    this.name = 'OperationsShuttingDownError';
  }
}

type ResubmittableRequest = Omit<InternalRequest, 'access'>;

/** A task this replica runs now. */
interface RunningTask {
  readonly bookkeeper: TaskBookkeeper;
  /** Aborted when the task's lease is lost to another replica. */
  readonly abort: AbortController;
}

/** Options of {@link OperationsService.startLeases}. */
export interface TaskLeaseOptions {
  /** How long a task's lease lasts without renewal before another replica takes the task over. */
  readonly leaseMs: number;
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error);
const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isRetryable = (error: unknown) => typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;
const asResultObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };

/**
 * Starts operations as tasks (Clouddriver's `OperationsController` + `OperationsService` +
 * `DefaultOrchestrationProcessor`; docs/architecture.md, "Task execution and JSON").
 *
 * Synchronously: read the payload, find each operation (unknown → 400), convert and validate every
 * description collecting all field errors (→ 400, no task), require WRITE on every account touched
 * (→ 403, no task), then create the task — idempotent by clientRequestId: a known id returns its task
 * unless it is FAILED_RETRYABLE, which is re-opened and run again under the same task.
 *
 * In the background: the operations run one after another, each receiving the non-empty results of
 * those before it. Results are attached before the completing status line, so a client that sees
 * `completed` sees the results. A thrown error stops the task: an `EXCEPTION` result object, the
 * status `Orchestration failed: …`, and FAILED (FAILED_RETRYABLE when the error says `retryable`).
 */
@injectable()
export class OperationsService {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Requests of tasks that ended FAILED_RETRYABLE, so `POST /task/{id}:resume` can run them again. */
  private readonly resumable = new Map<string, ResubmittableRequest>();
  private readonly running = new Map<string, RunningTask>();
  private leaseKeeper: TaskLeaseKeeper | undefined;
  private readonly shutdown = new AbortController();
  private closed = false;
  private readonly operationsCounter: CounterMetric;
  private readonly tasksCounter: CounterMetric;
  private readonly operationDuration: HistogramMetric;

  /** The artifact downloads operations may use (set by the server once its artifacts service runs). */
  private artifacts: ArtifactDownloadService | undefined;
  private readonly preparer: OperationPreparer;

  /** Gives operations the server's artifact downloads (`OperationContext.artifacts`). */
  useArtifactDownloads(service: ArtifactDownloadService | undefined): void {
    this.artifacts = service;
  }

  /** Where operations save and read infrastructure snapshots (set by the server when Front50 is configured). */
  private snapshots: SnapshotStore | undefined;

  /** Gives operations the server's snapshot store (`OperationContext.snapshots`). */
  useSnapshots(store: SnapshotStore | undefined): void {
    this.snapshots = store;
  }

  constructor(
    @inject(OPERATION_REGISTRY) private readonly registry: OperationRegistry,
    @inject(TASK_REPOSITORY) private readonly tasks: TaskRepository,
    @inject(ACCOUNT_LOOKUP) private readonly accounts: AccountLookup,
    @inject(NODE_ID) private readonly nodeId: string,
    @inject(LOGGER) private readonly logger: Logger,
    @inject(METRICS) metrics: MetricsRegistry,
    @inject(OPERATION_LIMITS) private readonly limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
  ) {
    this.operationsCounter = metrics.counter('operations_total', 'Operations run, by cloud provider, operation and outcome', [
      'cloudProvider',
      'operation',
      'outcome',
    ]);
    this.tasksCounter = metrics.counter('tasks_total', 'Tasks finished, by outcome', ['outcome']);
    this.operationDuration = metrics.histogram('operation_duration_seconds', 'Duration of one operation', ['cloudProvider', 'operation']);
    this.preparer = new OperationPreparer(registry, accounts, limits);
  }

  async submit(request: InternalRequest): Promise<StartOperationResult> {
    if (this.closed) throw new OperationsShuttingDownError();
    if (request.clientRequestId && request.clientRequestId.length > MAX_CLIENT_REQUEST_ID_LENGTH) {
      throw new InvalidOperationPayloadError([`clientRequestId: longer than ${MAX_CLIENT_REQUEST_ID_LENGTH} characters`]);
    }
    const prepared = await this.preparer.prepare(request);
    // Scoped to the caller: one caller's clientRequestId never returns (or re-runs) another caller's task.
    const clientRequestId = request.storedRequestId ?? scopedRequestId(request.access.user, request.clientRequestId || randomUUID());

    const existing = await this.tasks.getByClientRequestId(clientRequestId);
    if (existing) {
      // Checked and claimed without yielding, so two retries of one task in this process run it once.
      if (this.inFlight.has(existing.id) || currentLine(existing).state !== 'FAILED_RETRYABLE') return started(existing.id);
      // Re-opening keeps the task's recorded scope, so the re-run may not reach beyond it.
      const beyond = [...new Set(prepared.flatMap((op) => op.accounts))].filter((account) => !(existing.scope?.accounts ?? []).includes(account));
      if (beyond.length > 0 && !request.access.admin) throw new OperationAccessDeniedError(beyond, request.access.user, 'the task does not touch them');
      const claim = this.claim(existing.id);
      try {
        await this.tasks.appendStatus(existing.id, ORCHESTRATION_PHASE, 'Re-initializing Orchestration Task', 'STARTED');
        await this.tasks.updateOwnerId(existing.id, this.nodeId);
      } catch (error) {
        claim.settle();
        throw error;
      }
      this.start(existing.id, prepared, request, claim);
      return started(existing.id);
    }

    const { task, created } = await this.tasks.create(
      ORCHESTRATION_PHASE,
      'Initializing Orchestration Task',
      clientRequestId,
      this.nodeId,
      scopeOf(request.access, prepared),
    );
    if (created) this.start(task.id, prepared, request, this.claim(task.id));
    return started(task.id);
  }

  /**
   * Starts keeping task leases: renews those of the tasks running here and takes over running tasks
   * whose owner stopped renewing (docs/operator-guide.md, "Task leases"). Returns the stop function.
   */
  startLeases(options: TaskLeaseOptions): () => void {
    this.leaseKeeper?.stop();
    const keeper = new TaskLeaseKeeper({
      tasks: this.tasks,
      nodeId: this.nodeId,
      leaseMs: options.leaseMs,
      logger: this.logger,
      owned: () => this.running.keys(),
      onLeaseLost: (taskId) => this.loseLease(taskId),
      onExpired: (task) => this.takeOver(task),
    });
    this.leaseKeeper = keeper;
    keeper.start();
    return () => keeper.stop();
  }

  /**
   * Runs a FAILED_RETRYABLE task's operations again under the same task (`POST /task/{id}:resume`).
   * It re-submits the original request, which is stored with the task (its checkpoint), so any
   * replica can resume any task; the caller needs WRITE on the accounts again.
   */
  async resume(taskId: string, access: CallerAccess): Promise<StartOperationResult> {
    const task = await this.writableTask(taskId, access);
    if (currentLine(task).state !== 'FAILED_RETRYABLE') throw new TaskNotRetryableError(taskId);
    // Any replica can resume: the request is persisted with the task.
    const original = this.resumable.get(taskId) ?? requestOf(task.checkpoint);
    if (!original) throw new TaskNotResumableError(taskId, 'the task has no stored request to run again');
    return this.submit({ ...original, storedRequestId: task.requestId, withinAccounts: task.scope?.accounts ?? [], access });
  }

  /**
   * Kubernetes' forced retry, step 1 (`PATCH /{cloudProvider}/task/{id}` with `{retry}`): marks a
   * running task FAILED, or FAILED_RETRYABLE when `retry`, typically because its owner is gone.
   */
  async markFailed(taskId: string, retry: boolean, access: CallerAccess): Promise<TaskRecord> {
    const task = await this.writableTask(taskId, access);
    if (currentLine(task).state !== 'STARTED') throw new TaskNotRunningError(taskId, currentLine(task).state);
    await this.tasks.appendStatus(taskId, ORCHESTRATION_PHASE, `Task marked as failed${retry ? ' (retryable)' : ''}`, retry ? 'FAILED_RETRYABLE' : 'FAILED');
    return (await this.tasks.get(taskId))!;
  }

  /**
   * Kubernetes' forced retry, step 2 (`POST /{cloudProvider}/task/{id}/restart` with the original
   * operations): runs them again under the FAILED_RETRYABLE task's own request id.
   */
  async restart(taskId: string, cloudProvider: string, body: unknown, access: CallerAccess): Promise<StartOperationResult> {
    const task = await this.writableTask(taskId, access);
    if (currentLine(task).state !== 'FAILED_RETRYABLE') throw new TaskNotRetryableError(taskId);
    return this.submit({ cloudProvider, body, storedRequestId: task.requestId, withinAccounts: task.scope?.accounts ?? [], access });
  }

  /**
   * The task, when the caller may change it: unknown or unreadable → 404 (as unreadable resources
   * are), readable but not writable → 403.
   */
  private async writableTask(taskId: string, access: CallerAccess): Promise<TaskRecord> {
    const task = await this.tasks.get(taskId);
    if (!task || !canReadTaskOrWrite(access, task)) throw new TaskNotResumableError(taskId, 'no such task');
    if (!canWriteTask(access, task)) throw new TaskAccessDeniedError(taskId, access.user);
    return task;
  }

  /**
   * A running task's lease stayed unchanged for a whole lease period: its owner is gone. Takes the
   * task over (compare-and-set, so one replica wins) and either resumes it from its checkpoint, when
   * the operation it was at is resumable, or ends it FAILED_RETRYABLE naming the lost owner, so
   * Orca's retry runs it again under the same clientRequestId.
   */
  private async takeOver(task: TaskRecord): Promise<void> {
    if (this.closed || this.inFlight.has(task.id)) return;
    const lostOwner = task.ownerId;
    if (!(await this.tasks.takeOver(task.id, { ownerId: lostOwner, leaseRenewedAtMs: task.leaseRenewedAtMs }, this.nodeId))) return;
    this.logger.warn({ taskId: task.id, lostOwner, newOwner: this.nodeId }, 'task taken over: its owner stopped renewing its lease');
    const claim = this.claim(task.id);
    const checkpoint = task.checkpoint;
    let prepared: PreparedOperation[] | undefined;
    let reason = 'it has no checkpoint';
    if (checkpoint) {
      try {
        // The original caller was authorized when the task was created; this replica acts for it.
        prepared = await this.preparer.prepare({ ...requestOf(checkpoint)!, access: OPEN_ACCESS });
      } catch (error) {
        reason = `its request no longer validates (${errorMessage(error)})`;
      }
    }
    const at = checkpoint ? prepared?.[checkpoint.operation] : undefined;
    if (checkpoint && prepared && (!at || at.operation.resumable === true)) {
      const running = this.track(task.id);
      const where = at ? `resuming ${at.name} from its last completed step` : 'recording its outcome';
      void running.bookkeeper.status(ORCHESTRATION_PHASE, `Owner ${lostOwner} stopped renewing its lease; ${this.nodeId} took over, ${where}`);
      void this.execute(task.id, prepared, checkpoint, running).finally(() => claim.settle());
      return;
    }
    if (prepared && at) reason = `${at.name} is not resumable`;
    const running = this.track(task.id);
    const name = at?.name ?? 'orchestration';
    const message = `Owner ${lostOwner} stopped renewing its lease and ${reason}; marked retryable by ${this.nodeId}`;
    void running.bookkeeper.results([{ type: 'EXCEPTION', operation: name, cause: 'TaskOwnerLost', message, retryable: true }]);
    void running.bookkeeper.status(ORCHESTRATION_PHASE, `Orchestration failed: ${name} | TaskOwnerLost: [${message}]`, 'FAILED_RETRYABLE');
    this.tasksCounter.inc({ outcome: 'failed_retryable' });
    void running.bookkeeper
      .flushed()
      .finally(() => this.untrack(task.id, running))
      .finally(() => claim.settle());
  }

  /** The store no longer lists this replica as the owner: stop the operation and write nothing more. */
  private loseLease(taskId: string): void {
    const running = this.running.get(taskId);
    if (!running || running.bookkeeper.fenced) return;
    this.logger.warn({ taskId, ownerId: this.nodeId }, 'task lease lost: another replica owns the task now; stopping it here without further writes');
    running.bookkeeper.fence();
  }

  private track(taskId: string): RunningTask {
    const abort = new AbortController();
    const bookkeeper = new TaskBookkeeper({
      taskId,
      ownerId: this.nodeId,
      tasks: this.tasks,
      logger: this.logger,
      onLeaseLost: () => abort.abort(new Error(`task ${taskId} was taken over by another replica`)),
    });
    const running: RunningTask = { bookkeeper, abort };
    this.running.set(taskId, running);
    return running;
  }

  private untrack(taskId: string, running: RunningTask): void {
    if (this.running.get(taskId) === running) this.running.delete(taskId);
  }

  /** Ids of the tasks this server is running now. */
  runningTaskIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /**
   * Graceful shutdown: accept no new operations, wait up to `deadlineMs` for running ones, then abort
   * their signals. True when everything finished in time.
   */
  async drain(deadlineMs: number): Promise<boolean> {
    this.closed = true;
    this.leaseKeeper?.stopScanning();
    const pending = [...this.inFlight.values()];
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.allSettled(pending).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadlineMs)))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      this.shutdown.abort(new Error('server shutting down'));
      // Give the aborted tasks a moment to record how they ended; one that cannot is taken over by
      // another replica once its lease runs out.
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.inFlight.values()]), new Promise((resolve) => (grace = setTimeout(resolve, 5_000)))]);
      clearTimeout(grace);
    }
    this.leaseKeeper?.stop();
    return finished;
  }

  // ---- execution ----

  private claim(taskId: string): { promise: Promise<void>; settle(): void } {
    let settle!: () => void;
    const promise = new Promise<void>((resolve) => (settle = resolve));
    this.inFlight.set(taskId, promise);
    return {
      promise,
      settle: () => {
        if (this.inFlight.get(taskId) === promise) this.inFlight.delete(taskId);
        settle();
      },
    };
  }

  private start(taskId: string, prepared: PreparedOperation[], request: InternalRequest, claim: { settle(): void }): void {
    const { access, ...resubmittable } = request;
    this.resumable.delete(taskId);
    const running = this.track(taskId);
    const checkpoint: TaskCheckpoint = {
      request: {
        ...(request.cloudProvider ? { cloudProvider: request.cloudProvider } : {}),
        ...(request.operationName ? { operationName: request.operationName } : {}),
        body: request.body,
        ...(access.user ? { user: access.user } : {}),
      },
      operation: 0,
      results: [],
      steps: {},
    };
    void running.bookkeeper.checkpoint(checkpoint);
    void this.execute(taskId, prepared, checkpoint, running, resubmittable)
      .catch((error: unknown) => this.logger.error({ err: error, taskId }, 'task run failed unexpectedly'))
      .finally(() => claim.settle());
  }

  /**
   * Runs the operations from the checkpoint's one on, each receiving the results before it, and
   * records the outcome. Every task write goes through the task's bookkeeper, so a store outage
   * delays the writes, never the operations, and the task still ends in a terminal state.
   */
  private async execute(
    taskId: string,
    prepared: PreparedOperation[],
    from: TaskCheckpoint,
    running: RunningTask,
    request?: ResubmittableRequest,
  ): Promise<void> {
    const { bookkeeper } = running;
    let checkpoint = from;
    const steps: OperationSteps = {
      run: async <T>(name: string, work: () => Promise<T>): Promise<T> => {
        if (Object.hasOwn(checkpoint.steps, name)) return (checkpoint.steps[name] ?? undefined) as T;
        const value = await work();
        checkpoint = { ...checkpoint, steps: { ...checkpoint.steps, [name]: value === undefined ? null : value } };
        await bookkeeper.checkpoint(checkpoint);
        return value;
      },
    };
    const context: OperationContext = {
      task: {
        id: taskId,
        updateStatus: (phase, status) => bookkeeper.status(phase, status),
        addOutput: (output) => bookkeeper.output(output),
      },
      ...(checkpoint.request.user ? { user: checkpoint.request.user } : {}),
      signal: AbortSignal.any([this.shutdown.signal, running.abort.signal]),
      account: (name) => this.accounts.get(name),
      steps,
      ...(this.artifacts ? { artifacts: this.artifacts } : {}),
      ...(this.snapshots ? { snapshots: this.snapshots } : {}),
    };
    const results: unknown[] = [...checkpoint.results];
    // `checkpoint` moves on with every operation; the yield below compares with where this run began.
    const firstOperation = checkpoint.operation;
    try {
      for (let index = firstOperation; index < prepared.length; index++) {
        // Between steps, one task's many operations take turns with every other request, however fast each one is.
        if (index > firstOperation) await yieldToEventLoop();
        const { name, cloudProvider, operation } = prepared[index]!;
        const stopTimer = this.operationDuration.startTimer({ cloudProvider, operation: name });
        try {
          if (Object.keys(checkpoint.steps).length === 0) void bookkeeper.status(ORCHESTRATION_PHASE, `Processing op: ${name}`);
          const result = await operation.operate([...results], context);
          if (result !== undefined && result !== null) results.push(result);
          stopTimer();
          this.operationsCounter.inc({ cloudProvider, operation: name, outcome: 'success' });
          checkpoint = { ...checkpoint, operation: index + 1, results: [...results], steps: {} };
          void bookkeeper.checkpoint(checkpoint);
        } catch (error) {
          stopTimer();
          if (bookkeeper.fenced) return;
          const retryable = isRetryable(error);
          this.operationsCounter.inc({ cloudProvider, operation: name, outcome: 'failure' });
          this.logger.warn({ err: error, taskId, operation: name }, 'operation failed');
          const message = `Orchestration failed: ${name} | ${errorName(error)}: [${errorMessage(error)}]`;
          const summary = { type: 'EXCEPTION', operation: name, cause: errorName(error), message: errorMessage(error), retryable };
          void bookkeeper.results([...results.map(asResultObject), summary]);
          void bookkeeper.status(ORCHESTRATION_PHASE, message, retryable ? 'FAILED_RETRYABLE' : 'FAILED');
          if (retryable && request) this.resumable.set(taskId, request);
          this.tasksCounter.inc({ outcome: retryable ? 'failed_retryable' : 'failed' });
          return;
        }
      }
      if (bookkeeper.fenced) return;
      void bookkeeper.results(results.map(asResultObject));
      void bookkeeper.status(ORCHESTRATION_PHASE, 'Orchestration completed.', 'COMPLETED');
      this.tasksCounter.inc({ outcome: 'completed' });
    } finally {
      // On the way out the task always reaches its terminal state in the store (or belongs to another replica).
      await bookkeeper.flushed();
      this.untrack(taskId, running);
    }
  }

  /** Resolves when the task (if running here) has finished; for tests and shutdown. */
  async waitFor(taskId: string): Promise<TaskRecord | undefined> {
    await this.inFlight.get(taskId);
    return this.tasks.get(taskId);
  }
}

/** The request a checkpoint stored, in the shape `submit` takes. */
function requestOf(checkpoint: TaskCheckpoint | undefined): ResubmittableRequest | undefined {
  if (!checkpoint) return undefined;
  const { cloudProvider, operationName, body } = checkpoint.request;
  return { ...(cloudProvider ? { cloudProvider } : {}), ...(operationName ? { operationName } : {}), body };
}

function started(id: string): StartOperationResult {
  return { id, resourceUri: `/task/${id}` };
}

/** What a task records about who created it and what it touches (for authorizing later reads and changes). */
function scopeOf(access: CallerAccess, prepared: readonly PreparedOperation[]): TaskScope {
  return {
    ...(access.user ? { user: access.user } : {}),
    accounts: [...new Set(prepared.flatMap((op) => op.accounts))].sort(),
    applications: [...new Set(prepared.flatMap((op) => op.applications))].sort(),
  };
}

/** A caller who can see a task, or may change it, is told it exists. */
function canReadTaskOrWrite(access: CallerAccess, task: TaskRecord): boolean {
  return canReadTask(access, task) || canWriteTask(access, task);
}
