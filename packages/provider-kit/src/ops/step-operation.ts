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

/** How a cloud reads and checks the size fields of a description (`targetSize`, `capacity`, …). */
export interface SizeRules {
  readonly validate: (errors: ValidationErrors, input: Record<string, unknown>, required: boolean) => void;
  readonly desired: (input: Record<string, unknown>) => unknown;
}

/**
 * Clouddriver's `resizeServerGroup` as a step: the size is required and checked by the cloud's
 * rules, and `act` gets the desired size they read.
 */
export function resizeStepSpec<Step extends { readonly description: { readonly input: Record<string, unknown> } }, R = void>(
  size: SizeRules,
  act: (step: Step, desired: number) => Promise<R>,
): StepOperationSpec<Step, R> {
  return {
    name: 'resizeServerGroup',
    phase: 'RESIZE',
    validate: (input, errors) => size.validate(errors, input, true),
    act: (step) => act(step, size.desired(step.description.input) as number),
  };
}
