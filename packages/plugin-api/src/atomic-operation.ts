import type { AccountCredentials } from './account-credentials.js';
import type { ArtifactDownloadService } from './artifact-download-service.js';
import type { SnapshotStore } from './snapshot-store.js';

/** The task an operation runs in, as the operation sees it. */
export interface OperationTask {
  /** The task id, as `GET /task/{id}` knows it. */
  readonly id: string;
  /** Appends a history line (`{phase, status}`) that Orca and Deck show. */
  updateStatus(phase: string, status: string): Promise<void>;
  /** Attaches an output (Kubernetes-style `{manifest, phase, stdOut, stdError}`). */
  addOutput(output: Record<string, unknown>): Promise<void>;
}

/**
 * The persisted progress of a resumable operation. A step's value is stored with the task once the
 * step completes; when the task's replica dies and another one resumes the task, steps that already
 * completed return their stored value instead of running again.
 */
export interface OperationSteps {
  /**
   * Runs `work` as the step `name`, unless that step already completed in an earlier run of this
   * task (on any replica): then returns the value it returned then. The value must be JSON.
   */
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
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
  /**
   * The server's artifact downloads (`PUT /artifacts/fetch`'s service), when the server runs one:
   * what an operation needs to read an artifact it is given, such as a manifest to deploy.
   */
  readonly artifacts?: ArtifactDownloadService;
  /**
   * Infrastructure snapshots in the server's Front50 (since SPI 1.4), when `services.front50` is
   * configured: what GCE's `saveSnapshot` and `restoreSnapshot` write and read.
   */
  readonly snapshots?: SnapshotStore;
  /** Persisted steps, for operations that declare themselves `resumable` (absent in older hosts). */
  readonly steps?: OperationSteps;
}

/**
 * Runs `work` as a persisted step of a resumable operation (see {@link OperationSteps}), or simply
 * runs it when the host offers no steps.
 */
export function runStep<T>(context: OperationContext, name: string, work: () => Promise<T>): Promise<T> {
  return context.steps ? context.steps.run(name, work) : work();
}

/**
 * One step of a task (Clouddriver's `AtomicOperation`). Operations of one request run one after
 * another; each gets the results of those before it. A thrown error fails the task; an error with
 * `retryable: true` makes it `FAILED_RETRYABLE`.
 */
export interface AtomicOperation<R = unknown> {
  /** Runs the step; `priorOutputs` are the results of the steps before it in the same request. The result is added to the task's `resultObjects`. */
  operate(priorOutputs: readonly unknown[], context: OperationContext): Promise<R | undefined>;
  /**
   * True when the operation can continue on another replica after its own died: it records its
   * progress with `context.steps` and running it again from its last completed step is safe. Other
   * operations whose replica died end FAILED_RETRYABLE, for the client to retry.
   */
  readonly resumable?: boolean;
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
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds definitions of every description type; with `unknown` a typed definition would not be assignable (its description is a parameter)
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
