import { describeFieldError, type FieldError } from './description-validation-errors.js';

/**
 * Errors the operations service raises before any task exists. Each carries the HTTP `status` the
 * routes answer with and an `errors` list (kork's `ValidationException` body).
 */
export abstract class OperationRequestError extends Error {
  abstract readonly status: number;
  constructor(
    message: string,
    readonly errors: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** The payload is not a list of `{ <operationName>: description }` maps (or one description). */
export class InvalidOperationPayloadError extends OperationRequestError {
  readonly status = 400;
  constructor(errors: readonly string[]) {
    super(`Invalid operations payload: ${errors.join('; ')}`, errors);
    this.name = 'InvalidOperationPayloadError';
  }
}

/** No provider registered an operation of this name (for this cloud provider). */
export class UnknownOperationError extends OperationRequestError {
  readonly status = 400;
  constructor(errors: readonly string[]) {
    super(errors.join('; '), errors);
    this.name = 'UnknownOperationError';
  }
}

/** Descriptions failed conversion or validation; nothing was run and no task was created. */
export class OperationValidationError extends OperationRequestError {
  readonly status = 400;
  constructor(readonly fieldErrors: readonly FieldError[]) {
    const errors = fieldErrors.map(describeFieldError);
    super(`Validation failed: ${errors.join('; ')}`, errors);
    this.name = 'OperationValidationError';
  }
}

/** The caller lacks WRITE on an account the operations touch; no task was created. */
export class OperationAccessDeniedError extends OperationRequestError {
  readonly status = 403;
  constructor(
    readonly accounts: readonly string[],
    user: string | undefined,
    reason = 'WRITE permission required',
  ) {
    super(`Access denied to account${accounts.length > 1 ? 's' : ''} ${accounts.join(', ')}${user ? ` for user ${user}` : ''}: ${reason}`);
    this.name = 'OperationAccessDeniedError';
  }
}

/** The caller lacks WRITE on an application the operations touch (Fiat application permissions); no task was created. */
export class ApplicationAccessDeniedError extends OperationRequestError {
  readonly status = 403;
  constructor(
    readonly applications: readonly string[],
    user: string | undefined,
  ) {
    super(
      `Access denied to application${applications.length > 1 ? 's' : ''} ${applications.join(', ')}${user ? ` for user ${user}` : ''}: WRITE permission required`,
    );
    this.name = 'ApplicationAccessDeniedError';
  }
}

/** The caller may see a task but not change it (WRITE on every account and application it touches). */
export class TaskAccessDeniedError extends OperationRequestError {
  readonly status = 403;
  constructor(
    readonly taskId: string,
    user: string | undefined,
  ) {
    super(`Access denied to task ${taskId}${user ? ` for user ${user}` : ''}: WRITE permission on every account and application it touches is required`);
    this.name = 'TaskAccessDeniedError';
  }
}

/** More operations in one request than `operations.maxPerRequest` allows; nothing was validated or run. */
export class TooManyOperationsError extends OperationRequestError {
  readonly status = 413;
  constructor(
    readonly count: number,
    readonly limit: number,
  ) {
    super(`Too many operations in one request: ${count}, the limit is ${limit} (operations.maxPerRequest)`);
    this.name = 'TooManyOperationsError';
  }
}

/** `POST /task/{id}:resume` on a task that is not FAILED_RETRYABLE. */
export class TaskNotRetryableError extends OperationRequestError {
  readonly status = 400;
  constructor(readonly taskId: string) {
    super(`Task ${taskId} is not retryable`);
    this.name = 'TaskNotRetryableError';
  }
}

/** `POST /task/{id}:resume` on a task whose operations this server no longer has (unknown task, or started elsewhere / before a restart). */
export class TaskNotResumableError extends OperationRequestError {
  readonly status = 404;
  constructor(
    readonly taskId: string,
    reason: string,
  ) {
    super(`Task ${taskId} cannot be resumed: ${reason}`);
    this.name = 'TaskNotResumableError';
  }
}

/** `PATCH /{cloudProvider}/task/{id}` on a task that already finished. */
export class TaskNotRunningError extends OperationRequestError {
  readonly status = 409;
  constructor(
    readonly taskId: string,
    state: string,
  ) {
    super(`Task ${taskId} is not running (state ${state})`);
    this.name = 'TaskNotRunningError';
  }
}
