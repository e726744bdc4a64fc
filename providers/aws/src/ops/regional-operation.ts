import type { AtomicOperation, OperationDefinition, OperationTask, ValidationErrors } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { accountNameOf, regionsOf, str, validateAccount, validateRegion } from './description.js';

/** A description acting in one or more regions of one account: `credentials` plus `region` or `regions`. */
export interface RegionalDescription {
  readonly credentials?: string | undefined;
  readonly regions: readonly string[];
  readonly input: Record<string, unknown>;
}

export interface RegionalStep {
  readonly account: AwsAccount;
  readonly region: string;
  readonly clients: AwsRegionClients;
  readonly task: OperationTask;
  readonly input: Record<string, unknown>;
}

export interface RegionalOperationSpec {
  readonly name: string;
  /** The task phase of the history lines. */
  readonly phase: string;
  /** Field checks beyond account and regions. */
  readonly validate?: (input: Record<string, unknown>, errors: ValidationErrors, account: AwsAccount | undefined) => void;
  /** Does the work in one region; what it returns is merged into the operation's result. */
  readonly act: (step: RegionalStep) => Promise<Record<string, unknown> | void>;
  /** A global service (Route 53): without a region the account's first region's clients are used. */
  readonly regionOptional?: boolean;
  /** The applications the description touches (for application permission checks). */
  readonly applicationsOf?: (input: Record<string, unknown>) => string[];
}

/** Builds an operation that runs `act` in each region of the description in turn. */
export function regionalOperation(deps: AwsOperationDeps, spec: RegionalOperationSpec): OperationDefinition<RegionalDescription> {
  return {
    name: spec.name,
    converter: {
      convertDescription: (input) => ({ credentials: accountNameOf(input), regions: regionsOf(input).map(str), input }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          let result: Record<string, unknown> | undefined;
          const regions = d.regions.length === 0 && spec.regionOptional ? [account.regions[0]!.name] : d.regions;
          for (const region of regions) {
            await context.task.updateStatus(spec.phase, `Initializing ${spec.name} in ${account.name}/${region}`);
            const out = await spec.act({ account, region, clients: deps.clients.forRegion(account, region), task: context.task, input: d.input });
            if (out) result = { ...result, ...out };
            await context.task.updateStatus(spec.phase, `Finished ${spec.name} in ${region}`);
          }
          return result;
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        if (d.regions.length === 0 && !spec.regionOptional) errors.reject('region', 'empty', 'region (or regions) is required');
        d.regions.forEach((region, i) => validateRegion(errors, account, region, d.regions.length > 1 ? `regions[${i}]` : 'region'));
        spec.validate?.(d.input, errors, account);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    ...(spec.applicationsOf ? { applicationsOf: (d: RegionalDescription) => spec.applicationsOf!(d.input) } : {}),
  };
}

/** Rejects `field` unless it is a non-empty string (optionally matching `pattern`). */
export function requireString(errors: ValidationErrors, input: Record<string, unknown>, field: string, pattern?: RegExp, what?: string): void {
  const value = input[field];
  if (value === undefined || value === null || value === '') errors.reject(field, 'empty', `${field} is required`);
  else if (typeof value !== 'string') errors.reject(field, 'invalid', `${field} must be a string`);
  else if (pattern && !pattern.test(value)) errors.reject(field, 'invalid', `'${value}' is not ${what ?? `a valid ${field}`}`);
}

/** Rejects `field` unless it is absent or an integer ≥ `min`. */
export function optionalInt(errors: ValidationErrors, input: Record<string, unknown>, field: string, min = 0): void {
  const value = input[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) errors.reject(field, 'invalid', `${field} must be an integer ≥ ${min}`);
}
