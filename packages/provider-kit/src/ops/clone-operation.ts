import type { AtomicOperation, OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { cloneAccountsOf, cloneApplicationsOf, cloneSourceOf, validateCloneSource, type CloneSource } from './clone-source.js';
import { accountNameOf } from './description-fields.js';
import type { RegionalAccountLike } from './validate-account.js';

/** A deploy or clone description as Orca sends it: the account under `credentials`, every other field as written. */
export interface DeployDescription {
  readonly credentials?: string | undefined;
  readonly [field: string]: unknown;
}

/** What a cloud hands {@link cloneServerGroupDefinition}. */
export interface CloneOperationSpec<A extends RegionalAccountLike, R> {
  /** Names the cloud in validation messages (`GCE`, `Azure`). */
  readonly cloudLabel: string;
  readonly accounts: { get(name: string): A | undefined };
  /** Checks the cloud's own fields (the source's zone, the deploy fields), after the source. */
  readonly validate: (description: DeployDescription, errors: ValidationErrors) => void;
  readonly clone: (description: DeployDescription, context: OperationContext) => Promise<R>;
}

/**
 * Clouddriver's `cloneServerGroup` (its `CopyLast…ServerGroup` operations): the source
 * `{account, region, serverGroupName}` is checked before the cloud's own fields, and both the
 * target's and the source's accounts and applications are authorized.
 */
export function cloneServerGroupDefinition<A extends RegionalAccountLike, R>(spec: CloneOperationSpec<A, R>): OperationDefinition<DeployDescription> {
  return {
    name: 'cloneServerGroup',
    converter: {
      convertDescription: (input) => ({ ...input, credentials: accountNameOf(input) }),
      convertOperation: (d): AtomicOperation => ({ operate: (_prior, context) => spec.clone(d, context) }),
    },
    validator: {
      validate(d, errors) {
        validateCloneSource(d, errors, spec.accounts, spec.cloudLabel);
        spec.validate(d, errors);
      },
    },
    accountsOf: cloneAccountsOf,
    applicationsOf: cloneApplicationsOf,
  };
}

/** The source of a validated clone and its account, with the `Copying …` line in the task history. */
export async function startClone<A extends RegionalAccountLike>(
  accounts: { get(name: string): A | undefined },
  d: DeployDescription,
  context: OperationContext,
  phase: string,
): Promise<{ readonly source: CloneSource; readonly sourceAccount: A }> {
  const source = cloneSourceOf(d);
  const sourceAccount = accounts.get(source.accountName)!;
  await context.task.updateStatus(phase, `Copying ${source.serverGroupName} from ${sourceAccount.name}/${source.region}`);
  return { source, sourceAccount };
}
