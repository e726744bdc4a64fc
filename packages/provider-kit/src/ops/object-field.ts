import type { ValidationErrors } from '@stratus/plugin-api';

/** How a cloud words the two ways an object-valued description field can be wrong. */
export interface ObjectFieldRules {
  /** Whether a missing (undefined or null) value is rejected. */
  readonly required: boolean;
  /** The field and message a missing required value is rejected with (`empty`). */
  readonly empty: readonly [field: string, message: string];
  /** The field and message a value that is not an object is rejected with (`invalid`). */
  readonly invalid: readonly [field: string, message: string];
}

/**
 * The object an object-valued description field (`capacity`, `image`, …) holds, for the caller to
 * check field by field; `undefined` when it is missing (rejected when required) or is not an object
 * (rejected).
 */
export function objectFieldOf(errors: ValidationErrors, value: unknown, rules: ObjectFieldRules): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined || value === null) {
    if (rules.required) errors.reject(rules.empty[0], 'empty', rules.empty[1]);
    return undefined;
  }
  if (typeof value !== 'object') {
    errors.reject(rules.invalid[0], 'invalid', rules.invalid[1]);
    return undefined;
  }
  return value as Readonly<Record<string, unknown>>;
}
