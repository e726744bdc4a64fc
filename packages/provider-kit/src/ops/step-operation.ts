import type { OperationTask, ValidationErrors } from '@stratus/plugin-api';

/** What a provider's server group operation hands each step besides the cloud objects it read live. */
export interface StepContext<D> {
  readonly description: D;
  readonly task: OperationTask;
  readonly signal: AbortSignal;
}

/**
 * One server group operation as a provider's builder takes it (resize, enable, disable, …): the
 * builder finds the group live, runs `act` and refreshes the cache.
 */
export interface StepOperationSpec<Step, R = void> {
  readonly name: string;
  /** The task phase of the history lines (Clouddriver's, e.g. `RESIZE`). */
  readonly phase: string;
  /** Extra field checks beyond account, region and server group. */
  readonly validate?: (input: Record<string, unknown>, errors: ValidationErrors) => void;
  readonly act: (step: Step) => Promise<R>;
}
