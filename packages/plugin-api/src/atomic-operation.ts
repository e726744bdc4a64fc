import type { AccountCredentials } from './account-credentials.js';

/** The task an operation runs in, as the operation sees it. */
export interface OperationTask {
  /** The task id, as `GET /task/{id}` knows it. */
  readonly id: string;
  /** Appends a history line (`{phase, status}`) that Orca and Deck show. */
  updateStatus(phase: string, status: string): Promise<void>;
  /** Attaches an output (Kubernetes-style `{manifest, phase, stdOut, stdError}`). */
  addOutput(output: Record<string, unknown>): Promise<void>;
}

/** What an operation receives besides its description. */
export interface OperationContext {
  /** The task this operation reports to. */
  readonly task: OperationTask;
  /** The user who asked (`X-SPINNAKER-USER`), when known. */
  readonly user?: string;
  /** Aborted when the server shuts down past its grace period. */
  readonly signal: AbortSignal;
  /** Looks up a configured account of any provider. */
  account(name: string): AccountCredentials | undefined;
}

/**
 * One step of a task (Clouddriver's `AtomicOperation`). Operations of one request run one after
 * another; each gets the results of those before it. A thrown error fails the task; an error with
 * `retryable: true` makes it `FAILED_RETRYABLE`.
 */
export interface AtomicOperation<R = unknown> {
  /** Runs the step; `priorOutputs` are the results of the steps before it in the same request. The result is added to the task's `resultObjects`. */
  operate(priorOutputs: readonly unknown[], context: OperationContext): Promise<R | undefined>;
}

/** Collects field errors found while validating a description. */
export interface ValidationErrors {
  /** Records that `field` is invalid; `code` is machine-readable (e.g. `empty`, `invalid`). */
  reject(field: string, code: string, message?: string): void;
  /** Whether anything was rejected so far. */
  readonly hasErrors: boolean;
}

/** Validates a converted description (Clouddriver's `DescriptionValidator`). */
export interface DescriptionValidator<D> {
  /** Rejects every bad field through `errors`; `priorDescriptions` are the descriptions before this one in the same request. */
  validate(description: D, errors: ValidationErrors, priorDescriptions: readonly unknown[]): void | Promise<void>;
}

/** Turns the raw description map into a typed description and then into an operation. */
export interface AtomicOperationConverter<D> {
  /** May throw to reject the input outright; prefer a validator for field errors. */
  convertDescription(input: Record<string, unknown>): D;
  /** Builds the operation that carries out a validated description. */
  convertOperation(description: D): AtomicOperation;
}

/** An operation a provider offers under `POST /{cloudProvider}/ops`. */
export interface OperationDefinition<D = any> {
  /** The name Orca sends, e.g. `createServerGroup`. */
  readonly name: string;
  /** Turns the raw description into a typed one and then into the operation. */
  readonly converter: AtomicOperationConverter<D>;
  /** Field checks run before any task is created; the conformance suite requires one on every operation. */
  readonly validator?: DescriptionValidator<D>;
  /**
   * Accounts the description touches, for WRITE authorization. Defaults to the raw input's
   * `credentials`, `accountName` or `account` field.
   */
  accountsOf?(description: D): string[];
  /** Applications the description touches, for application WRITE authorization. */
  applicationsOf?(description: D): string[];
}

/** An error whose failure leaves the task `FAILED_RETRYABLE`. */
export class RetryableOperationError extends Error {
  /** Marks the failure as retryable for the task repository. */
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableOperationError';
  }
}
