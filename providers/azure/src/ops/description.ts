import type { ValidationErrors } from '@stratus/plugin-api';
import { isNonNegativeInt, validateAccount as validateAccountIn, type CloudNameRules } from '@stratus/provider-kit';
import type { AzureAccount } from '../accounts/azure-account.js';
import type { AzureAccountRegistry } from '../accounts/azure-account-registry.js';
import { RESOURCE_GROUP } from '../accounts/azure-account.js';

export { accountNameOf, isNonNegativeInt, optString, regionOf, str, stringList, validateRegion, validateStringMap } from '@stratus/provider-kit';

/** Azure resource names we create: letters, digits, dashes (and `_` `.` inside), at most 80 characters. */
export const AZURE_NAME = /^[a-zA-Z0-9]([-\w.]{0,78}[\w])?$/;

/** Checks `credentials` names a configured Azure account; returns it. */
export function validateAccount(errors: ValidationErrors, accounts: AzureAccountRegistry, name: string | undefined): AzureAccount | undefined {
  return validateAccountIn(errors, accounts, name, 'Azure');
}

/** The Azure account and name rules, for `validateRegionalName`. */
export function nameRules(accounts: AzureAccountRegistry): CloudNameRules<AzureAccount> {
  return { cloudLabel: 'Azure', accounts, validateName };
}

export function validateName(errors: ValidationErrors, value: unknown, field: string, required = true): void {
  if (value === undefined || value === null || value === '') {
    if (required) errors.reject(field, 'empty', `${field} is required`);
  } else if (typeof value !== 'string' || !AZURE_NAME.test(value)) {
    errors.reject(field, 'invalid', `${field} must be letters, digits, dashes, dots and underscores, starting with a letter or digit (at most 80)`);
  }
}

export function validateResourceGroup(errors: ValidationErrors, value: unknown, field = 'resourceGroupName'): void {
  if (value !== undefined && (typeof value !== 'string' || !RESOURCE_GROUP.test(value)))
    errors.reject(field, 'invalid', `${field} must be a resource group name`);
}

/** The desired size of a description: `targetSize`, else `capacity.desired`, else `sku.capacity`. */
export function desiredSizeOf(input: Record<string, unknown>): unknown {
  if (input.targetSize !== undefined) return input.targetSize;
  const capacity = input.capacity as Record<string, unknown> | undefined;
  if (capacity && typeof capacity === 'object' && capacity.desired !== undefined) return capacity.desired;
  const sku = input.sku as Record<string, unknown> | undefined;
  return sku && typeof sku === 'object' ? sku.capacity : undefined;
}

/** Checks the size fields: `targetSize`, `capacity {min, max, desired}` (min ≤ desired ≤ max) or `sku.capacity`. */
export function validateSize(errors: ValidationErrors, input: Record<string, unknown>, required: boolean): void {
  if (input.targetSize !== undefined && !isNonNegativeInt(input.targetSize))
    errors.reject('targetSize', 'invalid', 'targetSize must be a non-negative integer');
  const sku = input.sku as Record<string, unknown> | undefined;
  if (sku && typeof sku === 'object' && sku.capacity !== undefined && !isNonNegativeInt(sku.capacity))
    errors.reject('sku.capacity', 'invalid', 'sku.capacity must be a non-negative integer');
  const capacity = input.capacity;
  if (capacity !== undefined && capacity !== null) {
    if (typeof capacity !== 'object') errors.reject('capacity', 'invalid', 'capacity must be an object {min, max, desired}');
    else {
      const c = capacity as Record<string, unknown>;
      let ok = true;
      for (const k of ['min', 'max', 'desired']) {
        if (c[k] !== undefined && !isNonNegativeInt(c[k])) {
          errors.reject(`capacity.${k}`, 'invalid', `capacity.${k} must be a non-negative integer`);
          ok = false;
        }
      }
      const { min, max, desired } = c as { min?: number; max?: number; desired?: number };
      if (ok && min !== undefined && max !== undefined && min > max) errors.reject('capacity', 'invalid', 'capacity must satisfy min <= max');
      else if (ok && desired !== undefined && ((min !== undefined && desired < min) || (max !== undefined && desired > max)))
        errors.reject('capacity', 'invalid', 'capacity must satisfy min <= desired <= max');
    }
  }
  if (required && desiredSizeOf(input) === undefined) errors.reject('capacity', 'empty', 'capacity.desired, sku.capacity or targetSize is required');
}
