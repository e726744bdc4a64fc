import type { TaskRecord, TaskScope, TaskState } from './task.js';

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
  appendStatus(id: string, phase: string, status: string, state?: TaskState): Promise<void>;
  addResultObjects(id: string, objects: readonly Record<string, unknown>[]): Promise<void>;
  addOutput(id: string, output: Record<string, unknown>): Promise<void>;
  updateOwnerId(id: string, ownerId: string): Promise<void>;
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
