import type { ValidationErrors } from '@stratus/plugin-api';
import type { NimbusAccount } from '../nimbus-account.js';

/** The fields every Nimbus server-group operation has (Orca sends `credentials` for the account). */
export interface ServerGroupDescription {
  readonly account: string;
  readonly region: string;
  readonly serverGroupName: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** Reads the common fields leniently; the validator reports what is missing. */
export function serverGroupDescription(input: Record<string, unknown>): ServerGroupDescription {
  return {
    account: text(input.credentials ?? input.account ?? input.accountName),
    region: text(input.region ?? (Array.isArray(input.regions) ? input.regions[0] : undefined)),
    serverGroupName: text(input.serverGroupName ?? input.asgName),
  };
}

/** Rejects missing fields, unknown accounts and regions the account does not cover. */
export function validateServerGroupDescription(
  description: ServerGroupDescription,
  errors: ValidationErrors,
  accountNamed: (name: string) => NimbusAccount | undefined,
): void {
  if (description.account === '') errors.reject('credentials', 'empty', 'credentials (the account name) is required');
  const account = description.account === '' ? undefined : accountNamed(description.account);
  if (description.account !== '' && !account) errors.reject('credentials', 'invalid', `no Nimbus account named ${description.account}`);
  if (description.region === '') errors.reject('region', 'empty', 'region is required');
  else if (account && !account.regions.some((region) => region.name === description.region)) {
    errors.reject('region', 'invalid', `account ${account.name} does not cover region ${description.region}`);
  }
  if (description.serverGroupName === '') errors.reject('serverGroupName', 'empty', 'serverGroupName is required');
}
