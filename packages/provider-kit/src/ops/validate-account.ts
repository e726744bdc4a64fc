import type { ValidationErrors } from '@stratus/plugin-api';

/** What the account checks need of a provider's account: its name and configured regions. */
export interface RegionalAccountLike {
  readonly name: string;
  readonly regions: readonly { readonly name: string }[];
}

/**
 * Checks `credentials` names a configured account of the cloud (`cloudLabel`, e.g. `GCE`, names it
 * in the messages Deck shows); returns it.
 */
export function validateAccount<A>(
  errors: ValidationErrors,
  accounts: { get(name: string): A | undefined },
  name: string | undefined,
  cloudLabel: string,
): A | undefined {
  if (!name) {
    errors.reject('credentials', 'empty', `credentials (the ${cloudLabel} account name) is required`);
    return undefined;
  }
  const account = accounts.get(name);
  if (!account) errors.reject('credentials', 'invalid', `'${name}' is not a configured ${cloudLabel} account`);
  return account;
}

/** Checks a region is one of the account's (the account may be unknown: then only presence is checked). */
export function validateRegion(errors: ValidationErrors, account: RegionalAccountLike | undefined, region: unknown, field = 'region'): void {
  if (typeof region !== 'string' || region === '') errors.reject(field, 'empty', `${field} is required`);
  else if (account && !account.regions.some((r) => r.name === region))
    errors.reject(field, 'invalid', `region '${region}' is not configured for account '${account.name}'`);
}

/** Checks an optional map of names to strings (labels, tags, metadata). */
export function validateStringMap(errors: ValidationErrors, value: unknown, field: string): void {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string'))) {
    errors.reject(field, 'invalid', `${field} must map names to string values`);
  }
}

/** How a cloud checks the accounts and resource names of its descriptions. */
export interface CloudNameRules<A> {
  /** Names the cloud in the messages (`GCE`, `Azure`). */
  readonly cloudLabel: string;
  readonly accounts: { get(name: string): A | undefined };
  /** The cloud's name rule: rejects a missing or malformed name under `field`. */
  readonly validateName: (errors: ValidationErrors, value: unknown, field: string) => void;
}

/**
 * Checks a description naming one regional resource (a load balancer, a security group): its
 * account, the resource's name (under `field`, by the cloud's rule) and its region. Returns the account.
 */
export function validateRegionalName<A extends RegionalAccountLike>(
  errors: ValidationErrors,
  rules: CloudNameRules<A>,
  d: { readonly credentials?: string | undefined; readonly region: unknown },
  field: string,
  name: string | undefined,
): A | undefined {
  const account = validateAccount(errors, rules.accounts, d.credentials, rules.cloudLabel);
  rules.validateName(errors, name || undefined, field);
  validateRegion(errors, account, d.region);
  return account;
}
