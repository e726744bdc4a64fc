import type { ValidationErrors } from '@stratus/plugin-api';
import { isNonNegativeInt, objectFieldOf, str, validateAccount as validateAccountIn, validateRegion } from '@stratus/provider-kit';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';

export { isNonNegativeInt, str, validateRegion } from '@stratus/provider-kit';

/** Orca names the account `credentials`; older callers use `account` or `accountName`. */
export function accountNameOf(input: Record<string, unknown>): string | undefined {
  const value = input.credentials ?? input.account ?? input.accountName;
  return typeof value === 'string' ? value : undefined;
}

/** `regions: [...]`, else `region`, else the keys of `availabilityZones`. */
export function regionsOf(input: Record<string, unknown>): unknown[] {
  if (Array.isArray(input.regions)) return input.regions;
  if (input.region !== undefined) return [input.region];
  if (input.availabilityZones && typeof input.availabilityZones === 'object') return Object.keys(input.availabilityZones);
  return [];
}

/** A server group an operation acts on. */
export interface ServerGroupTarget {
  readonly serverGroupName: string;
  readonly region: string;
}

/**
 * The server groups of a description: `asgs: [{serverGroupName|asgName, region}]`, else
 * `serverGroupName|asgName` in every region of `regions|region`. Unusable entries are kept with
 * empty strings so the validator can name them.
 */
export function serverGroupTargetsOf(input: Record<string, unknown>): ServerGroupTarget[] {
  if (Array.isArray(input.asgs)) {
    return input.asgs.map((raw) => {
      const asg = (raw ?? {}) as Record<string, unknown>;
      return { serverGroupName: str(asg.serverGroupName ?? asg.asgName), region: str(asg.region) };
    });
  }
  const name = str(input.serverGroupName ?? input.asgName);
  return regionsOf(input).map((region) => ({ serverGroupName: name, region: str(region) }));
}

/** Checks `credentials` names a configured AWS account; returns it. */
export function validateAccount(errors: ValidationErrors, accounts: AwsAccountRegistry, name: string | undefined): AwsAccount | undefined {
  return validateAccountIn(errors, accounts, name, 'AWS');
}

/** Checks `regions` (read from `region` or `regions`): at least one, each a region of the account. */
export function validateRegions(errors: ValidationErrors, account: AwsAccount | undefined, regions: readonly string[]): void {
  if (regions.length === 0) errors.reject('regions', 'empty', 'region or regions is required');
  regions.forEach((r, i) => validateRegion(errors, account, r, regions.length > 1 ? `regions[${i}]` : 'region'));
}

/** Checks server group targets: at least one, each with a name and a region of the account. */
export function validateTargets(errors: ValidationErrors, account: AwsAccount | undefined, targets: readonly ServerGroupTarget[]): void {
  if (targets.length === 0) {
    errors.reject('serverGroupName', 'empty', 'serverGroupName (or asgName) and region(s) are required');
    return;
  }
  targets.forEach((t, i) => {
    const prefix = targets.length > 1 ? `asgs[${i}].` : '';
    if (!t.serverGroupName) errors.reject(`${prefix}serverGroupName`, 'empty', 'serverGroupName (or asgName) is required');
    validateRegion(errors, account, t.region, targets.length > 1 ? `${prefix}region` : 'region');
  });
}

export interface Capacity {
  readonly min: number;
  readonly max: number;
  readonly desired: number;
}

/** Checks `capacity {min, max, desired}`: non-negative integers with min ≤ desired ≤ max. */
export function validateCapacity(errors: ValidationErrors, capacity: unknown, field = 'capacity', required = true): void {
  const c = objectFieldOf(errors, capacity, {
    required,
    empty: [field, `${field} {min, max, desired} is required`],
    invalid: [field, `${field} must be an object {min, max, desired}`],
  });
  if (!c) return;
  let ok = true;
  for (const k of ['min', 'max', 'desired']) {
    if (!isNonNegativeInt(c[k])) {
      errors.reject(`${field}.${k}`, 'invalid', `${field}.${k} must be a non-negative integer`);
      ok = false;
    }
  }
  if (ok && !((c.min as number) <= (c.desired as number) && (c.desired as number) <= (c.max as number))) {
    errors.reject(field, 'invalid', `${field} must satisfy min <= desired <= max`);
  }
}
