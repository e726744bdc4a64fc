import type { OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { accountOperation, type AccountDescription } from './account-operation.js';

/** A deploy description: the account, the application to authorize, the cloud's deploy fields. */
type DeployFields = AccountDescription & { readonly application?: unknown };

/** What a cloud hands {@link createServerGroupDefinition}. */
export interface CreateServerGroupSpec<D extends DeployFields, A, R> {
  readonly accounts: { get(name: string): A | undefined };
  /** Reads the description when the cloud renames fields; the fields as Orca sent them unless said. */
  readonly convert?: (input: Record<string, unknown>) => Omit<D, 'credentials'>;
  /** Every deploy field check, the account's included. */
  readonly validate: (description: D, errors: ValidationErrors) => void;
  /** Deploys the validated description into its account. */
  readonly create: (description: D, account: A, context: OperationContext, prior: readonly unknown[]) => Promise<R>;
  /** See `AtomicOperation.resumable`. */
  readonly resumable?: boolean;
}

/**
 * Clouddriver's `createServerGroup`: a deploy description's fields as written (plus what the cloud
 * renames), deployed in the account it names, which is authorized with its `application`.
 */
export function createServerGroupDefinition<D extends DeployFields, A, R>(spec: CreateServerGroupSpec<D, A, R>): OperationDefinition<D> {
  return accountOperation<D, A, R>({
    name: 'createServerGroup',
    accounts: spec.accounts,
    convert: spec.convert ?? ((input) => input as Omit<D, 'credentials'>),
    validate: spec.validate,
    operate: spec.create,
    applicationsOf: (d) => (typeof d.application === 'string' ? [d.application] : []),
    ...(spec.resumable ? { resumable: true } : {}),
  });
}
