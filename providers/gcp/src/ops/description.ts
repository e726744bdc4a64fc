import type { ValidationErrors } from '@stratus/plugin-api';
import { isNonNegativeInt, objectFieldOf, validateAccount as validateAccountIn, type CloudNameRules } from '@stratus/provider-kit';
import type { GceAccount } from '../accounts/gce-account.js';
import type { GceAccountRegistry } from '../accounts/gce-account-registry.js';

export { accountNameOf, isNonNegativeInt, optString, str, stringList, validateRegion, validateStringMap } from '@stratus/provider-kit';

/** GCE resource names: lower-case letters, digits and dashes, starting with a letter, at most 63 characters. */
export const GCE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks `credentials` names a configured GCE account; returns it. */
export function validateAccount(errors: ValidationErrors, accounts: GceAccountRegistry, name: string | undefined): GceAccount | undefined {
  return validateAccountIn(errors, accounts, name, 'GCE');
}

/** The GCE account and name rules, for `validateRegionalName`. */
export function nameRules(accounts: GceAccountRegistry): CloudNameRules<GceAccount> {
  return { cloudLabel: 'GCE', accounts, validateName };
}

/** Checks an optional zone lies in `region`. */
export function validateZone(errors: ValidationErrors, zone: unknown, region: unknown, field = 'zone'): void {
  if (zone === undefined || zone === null || zone === '') return;
  if (typeof zone !== 'string' || !/^[a-z]+-[a-z]+\d+-[a-z]$/.test(zone)) errors.reject(field, 'invalid', `${field} must be a GCE zone such as us-central1-a`);
  else if (typeof region === 'string' && region !== '' && !zone.startsWith(`${region}-`))
    errors.reject(field, 'invalid', `zone '${zone}' is not in region '${region}'`);
}

/** Checks `instanceIds`: at least one, each a GCE instance name. */
export function validateInstanceNames(errors: ValidationErrors, ids: unknown, field = 'instanceIds'): void {
  if (!Array.isArray(ids) || ids.length === 0) errors.reject(field, 'empty', `${field} must list at least one instance name`);
  else
    ids.forEach((id, i) => {
      if (typeof id !== 'string' || !GCE_NAME.test(id)) errors.reject(`${field}[${i}]`, 'invalid', `'${String(id)}' is not a GCE instance name`);
    });
}

/** Checks a GCE resource name. */
export function validateName(errors: ValidationErrors, value: unknown, field: string, required = true): void {
  if (value === undefined || value === null || value === '') {
    if (required) errors.reject(field, 'empty', `${field} is required`);
  } else if (typeof value !== 'string' || !GCE_NAME.test(value)) {
    errors.reject(field, 'invalid', `${field} must be lower-case letters, digits and dashes, starting with a letter (at most 63)`);
  }
}

export function validateStringList(errors: ValidationErrors, value: unknown, field: string): void {
  if (value !== undefined && (!Array.isArray(value) || value.some((v) => typeof v !== 'string')))
    errors.reject(field, 'invalid', `${field} must be a list of strings`);
}

/** The desired size of a description: `targetSize`, else `capacity.desired`. */
export function desiredSizeOf(input: Record<string, unknown>): unknown {
  if (input.targetSize !== undefined) return input.targetSize;
  const capacity = input.capacity as Record<string, unknown> | undefined;
  return capacity && typeof capacity === 'object' ? capacity.desired : undefined;
}

/** Checks `targetSize` or `capacity {min, max, desired}` (min ≤ desired ≤ max). */
export function validateSize(errors: ValidationErrors, input: Record<string, unknown>, required: boolean): void {
  if (input.targetSize !== undefined) {
    if (!isNonNegativeInt(input.targetSize)) errors.reject('targetSize', 'invalid', 'targetSize must be a non-negative integer');
    return;
  }
  const c = objectFieldOf(errors, input.capacity, {
    required,
    empty: ['targetSize', 'targetSize or capacity {min, max, desired} is required'],
    invalid: ['capacity', 'capacity must be an object {min, max, desired}'],
  });
  if (!c) return;
  let ok = true;
  for (const k of ['min', 'max', 'desired']) {
    if (c[k] === undefined && k !== 'desired') continue;
    if (!isNonNegativeInt(c[k])) {
      errors.reject(`capacity.${k}`, 'invalid', `capacity.${k} must be a non-negative integer`);
      ok = false;
    }
  }
  if (
    ok &&
    typeof c.min === 'number' &&
    typeof c.max === 'number' &&
    !((c.min as number) <= (c.desired as number) && (c.desired as number) <= (c.max as number))
  ) {
    errors.reject('capacity', 'invalid', 'capacity must satisfy min <= desired <= max');
  }
}
