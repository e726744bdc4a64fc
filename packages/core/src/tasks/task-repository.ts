import type { TaskCheckpoint, TaskRecord, TaskScope, TaskState } from './task.js';

export interface CreateTaskResult {
  readonly task: TaskRecord;
  /** False when a task already existed for the clientRequestId (nothing was created). */
  readonly created: boolean;
}

/**
 * Where tasks live (memory, Redis, SQL, dual). Every implementation runs the task-repository
 * contract suite from `@stratus/testing`. Rules:
 * - `create` is idempotent on `clientRequestId`: two concurrent creates with one id yield one task.
 * - A completed task (state not STARTED) is immutable: `appendStatus`, `addResultObjects` and
 *   `addOutput` reject with `TaskCompletedError` — except `appendStatus` with state STARTED on a
 *   FAILED_RETRYABLE task, which is how a retry re-opens it.
 * - Reads return consistent snapshots: a reader never sees a status newer than the rest of the task.
 * - Concurrent updates to one task lose nothing.
 * - Fenced writes: `appendStatus`, `addResultObjects`, `addOutput` and `saveCheckpoint` given an
 *   `ownerId` write only while the task's owner is that id (checked atomically with the write), else
 *   reject with `TaskLeaseLostError`, so a replica whose lease was taken over cannot write.
 * - Leases: `create` and `updateOwnerId` start the lease; the owner renews it with `renewLease`;
 *   `takeOver` moves a running task to a new owner only if owner and lease are still what the caller
 *   observed (compare-and-set).
 */
export interface TaskRepository {
  readonly kind: string;
  /** `scope` (who created the task, what it touches) is stored with the task and returned by every read. */
  create(phase: string, status: string, clientRequestId: string, ownerId: string, scope?: TaskScope): Promise<CreateTaskResult>;
  get(id: string): Promise<TaskRecord | undefined>;
  getByClientRequestId(clientRequestId: string): Promise<TaskRecord | undefined>;
  /** Tasks whose current state is STARTED. */
  listRunning(): Promise<TaskRecord[]>;
  /** Running tasks owned by `ownerId` (for graceful shutdown and failover). */
  listByOwner(ownerId: string): Promise<TaskRecord[]>;
  appendStatus(id: string, phase: string, status: string, state?: TaskState, ownerId?: string): Promise<void>;
  addResultObjects(id: string, objects: readonly Record<string, unknown>[], ownerId?: string): Promise<void>;
  addOutput(id: string, output: Record<string, unknown>, ownerId?: string): Promise<void>;
  /** Sets the owner and starts its lease (now). */
  updateOwnerId(id: string, ownerId: string): Promise<void>;
  /**
   * Renews the lease of a running task owned by `ownerId` (sets `leaseRenewedAtMs` to now). False
   * when the task is not running or belongs to someone else (the lease is lost).
   */
  renewLease(id: string, ownerId: string): Promise<boolean>;
  /**
   * Makes `newOwnerId` the owner of a running task and starts its lease, only if the task's owner
   * and `leaseRenewedAtMs` are still `expected` (so two replicas cannot both take it, and an owner
   * that renewed in between keeps it). True when this call took it.
   */
  takeOver(id: string, expected: { readonly ownerId: string; readonly leaseRenewedAtMs: number | undefined }, newOwnerId: string): Promise<boolean>;
  /** Replaces the task's checkpoint; a fenced write like `appendStatus`, only on a running task. */
  saveCheckpoint(id: string, checkpoint: TaskCheckpoint, ownerId?: string): Promise<void>;
  /**
   * Stores a task exactly as given (id, request id, owner, start time, every history line with its
   * timestamp, results, outputs), for moving tasks between stores (`stratus migrate tasks`).
   * Idempotent by id: resolves `true` when it wrote the task, `false` when a task with that id is
   * already stored (left unchanged). Rejects with `TaskConflictError` when a different task already
   * holds the record's clientRequestId, since one request id must map to one task.
   */
  importTask(task: TaskRecord): Promise<boolean>;
  /** Ids of every stored task, running or completed, sorted ascending (export and migration). */
  listTaskIds(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
