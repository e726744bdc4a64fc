import { unscopedRequestId } from './client-request-id.js';
import { currentLine, isCompletedState, isFailedState, type TaskRecord, type TaskStatusLine } from './task.js';

/** `status` of a task as Orca reads it (Clouddriver's `DefaultTaskStatus`). */
export interface TaskStatusJson {
  readonly phase: string;
  readonly status: string;
  readonly complete: boolean;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly retryable: boolean;
}

/** The JSON of `GET /task/{id}` (Clouddriver's task JSON; docs/architecture.md, "Task execution and JSON"). */
export interface TaskJson {
  readonly status: TaskStatusJson;
  readonly id: string;
  readonly history: readonly { readonly phase: string; readonly status: string }[];
  readonly resultObjects: readonly Record<string, unknown>[];
  readonly outputs: readonly Record<string, unknown>[];
  readonly startTimeMs: number;
  readonly requestId: string;
  readonly ownerId: string;
  readonly retryable: boolean;
  readonly sagaIds: readonly unknown[];
}

export function renderTaskStatus(line: TaskStatusLine): TaskStatusJson {
  const completed = isCompletedState(line.state);
  return {
    phase: line.phase,
    status: line.status,
    complete: completed,
    completed,
    failed: isFailedState(line.state),
    retryable: line.state === 'FAILED_RETRYABLE',
  };
}

/**
 * Renders one consistent task snapshot in Orca's shape. `status` comes first, as Clouddriver's Redis
 * task serialises it, and everything is derived from the same snapshot, so the status a reader sees is
 * never newer than the history, results and outputs next to it.
 */
export function renderTask(task: TaskRecord): TaskJson {
  const status = renderTaskStatus(currentLine(task));
  return {
    status,
    id: task.id,
    history: task.history.map((line) => ({ phase: line.phase, status: line.status })),
    resultObjects: task.resultObjects,
    outputs: task.outputs,
    startTimeMs: task.startTimeMs,
    // The id as the caller sent it: it is stored scoped to the caller (see security/authorization.ts).
    requestId: unscopedRequestId(task.requestId),
    ownerId: task.ownerId,
    retryable: status.retryable,
    sagaIds: [],
  };
}
