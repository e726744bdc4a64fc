import { parseServerGroupName, type AtomicOperation, type OperationContext, type OperationDefinition, type ValidationErrors } from '@stratus/plugin-api';
import { accountNameOf, regionOf, str } from './description-fields.js';
import type { StepContext, StepOperationSpec } from './step-operation.js';
import { validateAccount, validateRegion, type RegionalAccountLike } from './validate-account.js';

/** A description naming one server group: `credentials`, `serverGroupName` (or `asgName`) and `region`. */
export interface ServerGroupDescription {
  readonly credentials?: string | undefined;
  readonly serverGroupName: string;
  readonly region: string;
  /** The description as Orca sent it, for the operation's own fields. */
  readonly input: Record<string, unknown>;
}

/** Reads the fields every single-group description has. */
export function serverGroupDescriptionOf(input: Record<string, unknown>): ServerGroupDescription {
  return { credentials: accountNameOf(input), serverGroupName: str(input.serverGroupName ?? input.asgName), region: regionOf(input), input };
}

/** What a cloud hands {@link serverGroupStepOperation}: how it finds a group live and refreshes it afterwards. */
export interface ServerGroupCloud<D extends ServerGroupDescription, A extends RegionalAccountLike, C, Step, R> {
  /** Names the cloud in validation messages (`GCE`, `Azure`). */
  readonly cloudLabel: string;
  readonly accounts: { get(name: string): A | undefined };
  readonly clients: { forAccount(account: A): C };
  /** Reads the description; {@link serverGroupDescriptionOf} plus the cloud's own fields (a zone). */
  readonly describe: (input: Record<string, unknown>) => D;
  /** Checks the cloud's own fields, after account, server group and region. */
  readonly validate?: (description: D, errors: ValidationErrors) => void;
  /** Reads the group live (failing when it is gone) and builds the step the operation acts on. */
  readonly step: (base: StepContext<D> & { readonly account: A; readonly clients: C }) => Promise<Step>;
  /** Refreshes the cache after `act` returned `result`. */
  readonly refresh: (account: A, description: D, result: R) => Promise<void>;
}

/**
 * Builds an operation on one server group (resize, enable, disable, destroy, …): it finds the group
 * live, runs the operation's `act`, refreshes the cache and reports both ends in the task history.
 */
export function serverGroupStepOperation<D extends ServerGroupDescription, A extends RegionalAccountLike, C, Step, R>(
  cloud: ServerGroupCloud<D, A, C, Step, R>,
  spec: StepOperationSpec<Step, R>,
): OperationDefinition<D> {
  return {
    name: spec.name,
    converter: {
      convertDescription: cloud.describe,
      convertOperation: (description): AtomicOperation => ({
        async operate(_prior: readonly unknown[], context: OperationContext) {
          const account = cloud.accounts.get(description.credentials!)!;
          const clients = cloud.clients.forAccount(account);
          const { serverGroupName, region } = description;
          await context.task.updateStatus(spec.phase, `Initializing ${spec.name} of ${serverGroupName} in ${account.name}/${region}`);
          const step = await cloud.step({ account, clients, description, task: context.task, signal: context.signal });
          await cloud.refresh(account, description, await spec.act(step));
          await context.task.updateStatus(spec.phase, `Finished ${spec.name} of ${serverGroupName} in ${region}`);
          return undefined;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, cloud.accounts, d.credentials, cloud.cloudLabel);
        if (!d.serverGroupName) errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
        validateRegion(errors, account, d.region);
        cloud.validate?.(d, errors);
        spec.validate?.(d.input, errors);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.serverGroupName ? [parseServerGroupName(d.serverGroupName).app] : []),
  };
}
