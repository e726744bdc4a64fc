import type { AtomicOperation, OperationContext, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { accountNameOf } from './description-fields.js';

/** A description whose account Orca names under `credentials` (or `accountName`, `account`). */
export interface AccountDescription {
  readonly credentials?: string | undefined;
}

/** What a cloud hands {@link accountOperation}: the operation's own fields, checks and work. */
export interface AccountOperationSpec<D extends AccountDescription, A, R> {
  /** The name Orca sends, e.g. `deleteSecurityGroup`. */
  readonly name: string;
  readonly accounts: { get(name: string): A | undefined };
  /** Reads the description's own fields; the builder adds `credentials`. */
  readonly convert: (input: Record<string, unknown>) => Omit<D, 'credentials'>;
  /** Every field check, the account's included (the cloud's messages name it). */
  readonly validate: (description: D, errors: ValidationErrors) => void;
  /** Carries out a validated description in its account (which validation proved configured). */
  readonly operate: (description: D, account: A, context: OperationContext, prior: readonly unknown[]) => Promise<R | undefined>;
  readonly applicationsOf?: (description: D) => string[];
  /** See `AtomicOperation.resumable`. */
  readonly resumable?: boolean;
}

/**
 * An operation acting in the one account its description names: the account is read from the
 * description, looked up for the work and authorized, so a cloud's operation keeps its fields,
 * checks and work only.
 */
export function accountOperation<D extends AccountDescription, A, R = undefined>(spec: AccountOperationSpec<D, A, R>): OperationDefinition<D> {
  return {
    name: spec.name,
    converter: {
      convertDescription: (input) => ({ ...spec.convert(input), credentials: accountNameOf(input) }) as D,
      convertOperation: (description): AtomicOperation<R> => ({
        ...(spec.resumable ? { resumable: true } : {}),
        operate: (prior, context) => spec.operate(description, spec.accounts.get(description.credentials!)!, context, prior),
      }),
    },
    validator: { validate: (description, errors) => spec.validate(description, errors) },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    ...(spec.applicationsOf ? { applicationsOf: spec.applicationsOf } : {}),
  };
}
