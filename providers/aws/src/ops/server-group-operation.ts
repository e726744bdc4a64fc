import type { AtomicOperation, OperationContext, OperationDefinition, OperationTask, ValidationErrors } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { accountNameOf, serverGroupTargetsOf, validateAccount, validateTargets, type ServerGroupTarget } from './description.js';

/** A description naming server groups: `credentials` plus `serverGroupName|asgName` and `region|regions`, or `asgs[]`. */
export interface ServerGroupDescription {
  readonly credentials?: string | undefined;
  readonly targets: readonly ServerGroupTarget[];
  readonly input: Record<string, unknown>;
}

export interface ServerGroupStep {
  readonly account: AwsAccount;
  readonly target: ServerGroupTarget;
  readonly clients: AwsRegionClients;
  readonly task: OperationTask;
  readonly input: Record<string, unknown>;
}

export interface ServerGroupOperationSpec {
  readonly name: string;
  /** The task phase of the history lines (Clouddriver's, e.g. `RESIZE`). */
  readonly phase: string;
  /** Extra field checks beyond account and targets. */
  readonly validate?: (input: Record<string, unknown>, errors: ValidationErrors, account: AwsAccount | undefined) => void;
  /** Does the work for one server group; what it returns is merged into the operation's result. */
  readonly act: (step: ServerGroupStep) => Promise<Record<string, unknown> | void>;
  /** Whether to refresh the server group in the cache afterwards (true; false when it was deleted and refreshing evicts). */
  readonly refresh?: boolean;
}

/** Builds the definition of an operation that acts on each named server group in turn. */
export function serverGroupOperation(deps: AwsOperationDeps, spec: ServerGroupOperationSpec): OperationDefinition<ServerGroupDescription> {
  return {
    name: spec.name,
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), targets: serverGroupTargetsOf(input), input }),
      convertOperation: (description): AtomicOperation => ({
        async operate(_prior: readonly unknown[], context: OperationContext) {
          const account = deps.accounts.get(description.credentials!)!;
          let result: Record<string, unknown> | undefined;
          for (const target of description.targets) {
            await context.task.updateStatus(spec.phase, `Initializing ${spec.name} of ${target.serverGroupName} in ${account.name}/${target.region}`);
            const out = await spec.act({
              account,
              target,
              clients: deps.clients.forRegion(account, target.region),
              task: context.task,
              input: description.input,
            });
            if (out) result = { ...result, ...out };
            if (spec.refresh !== false) await deps.refresher.serverGroup(account.name, target.region, target.serverGroupName);
            await context.task.updateStatus(spec.phase, `Finished ${spec.name} of ${target.serverGroupName} in ${target.region}`);
          }
          return result;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        validateTargets(errors, account, d.targets);
        spec.validate?.(d.input, errors, account);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => [...new Set(d.targets.map((t) => t.serverGroupName.split('-')[0]!).filter(Boolean))],
  };
}
