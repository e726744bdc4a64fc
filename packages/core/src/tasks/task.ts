/** Clouddriver's TaskState. `completed` = not STARTED; `failed` = FAILED or FAILED_RETRYABLE. */
export type TaskState = 'STARTED' | 'COMPLETED' | 'FAILED' | 'FAILED_RETRYABLE';

/** One history line; every update appends one carrying the state at that moment. */
export interface TaskStatusLine {
  readonly phase: string;
  readonly status: string;
  readonly state: TaskState;
  /** Epoch ms when the line was appended. */
  readonly timestamp: number;
}

/**
 * A consistent snapshot of a task as a repository stores it. `history` is never empty; the current
 * status is its last line.
 */
export interface TaskRecord {
  readonly id: string;
  /** The clientRequestId the task was created for (idempotency key). */
  readonly requestId: string;
  /** The server instance that runs the task. */
  readonly ownerId: string;
  readonly startTimeMs: number;
  readonly history: readonly TaskStatusLine[];
  readonly resultObjects: readonly Record<string, unknown>[];
  readonly outputs: readonly Record<string, unknown>[];
  /**
   * When the owner last renewed its lease (epoch ms on the owner's clock). Other replicas only
   * compare it for change: a value that stays the same for a whole lease period means the owner is
   * gone (docs/operator-guide.md, "Task leases").
   */
  readonly leaseRenewedAtMs?: number;
  /** What a new owner needs to continue or re-run the task; never rendered to clients. */
  readonly checkpoint?: TaskCheckpoint;
  /**
   * Who created the task and what it touches, for authorization (absent on tasks stored before
   * Stratus recorded it: only admins may see those). Never rendered in the task JSON.
   */
  readonly scope?: TaskScope;
}

/**
 * The persisted progress of a task: the request it was started with, the operation it is at, the
 * results of those before it and the completed steps of the current one (for resumable operations).
 */
export interface TaskCheckpoint {
  readonly request: {
    readonly cloudProvider?: string;
    readonly operationName?: string;
    readonly body: unknown;
    readonly user?: string;
  };
  /** Index of the operation running now (= number of operations finished). */
  readonly operation: number;
  /** Non-empty results of the finished operations. */
  readonly results: readonly unknown[];
  /** Completed steps of the current operation, by step name, with the value each returned. */
  readonly steps: Readonly<Record<string, unknown>>;
}

/** The user who created a task and the accounts and applications its operations touch. */
export interface TaskScope {
  /** The creating user; absent for an anonymous caller. */
  readonly user?: string;
  readonly accounts: readonly string[];
  readonly applications: readonly string[];
}

/** Reads a stored scope (JSON text) back; undefined for anything that is not one. */
export function parseTaskScope(text: string | null | undefined): TaskScope | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TaskScope>;
    const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
    return {
      ...(typeof value.user === 'string' ? { user: value.user } : {}),
      accounts: strings(value.accounts),
      applications: strings(value.applications),
    };
  } catch {
    return undefined;
  }
}

export const isCompletedState = (state: TaskState): boolean => state !== 'STARTED';
export const isFailedState = (state: TaskState): boolean => state === 'FAILED' || state === 'FAILED_RETRYABLE';

export function currentLine(task: TaskRecord): TaskStatusLine {
  return task.history[task.history.length - 1]!;
}

/** Thrown when something tries to change a completed task. */
export class TaskCompletedError extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} is already completed`);
    this.name = 'TaskCompletedError';
  }
}

/**
 * Thrown by a write that names an owner (a fenced write) when the task belongs to another replica
 * now: this replica's lease was taken over and it must stop writing.
 */
export class TaskLeaseLostError extends Error {
  constructor(
    readonly taskId: string,
    readonly ownerId: string,
  ) {
    super(`Task ${taskId} is no longer owned by ${ownerId}`);
    this.name = 'TaskLeaseLostError';
  }
}

export class TaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} not found`);
    this.name = 'TaskNotFoundError';
  }
}

/** Thrown by `importTask` when another task already holds the imported task's clientRequestId. */
export class TaskConflictError extends Error {
  constructor(
    readonly taskId: string,
    readonly requestId: string,
    readonly existingTaskId: string,
  ) {
    super(`Task ${taskId}: clientRequestId ${requestId} already belongs to task ${existingTaskId}`);
    this.name = 'TaskConflictError';
  }
}
