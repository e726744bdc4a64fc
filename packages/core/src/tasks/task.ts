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
   * Who created the task and what it touches, for authorization (absent on tasks stored before
   * Stratus recorded it: only admins may see those). Never rendered in the task JSON.
   */
  readonly scope?: TaskScope;
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
