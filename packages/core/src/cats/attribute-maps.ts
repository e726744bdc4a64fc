/**
 * Attribute-map helpers every cache store shares (memory, Redis, SQL): stored items never keep
 * null/undefined attributes, and an empty map is written as "no attributes".
 */

/** Drops null/undefined values; returns the same object when there are none (no copy on the hot path). */
export function withoutNullAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  for (const key in attributes) {
    if (attributes[key] === null || attributes[key] === undefined) {
      const copy: Record<string, unknown> = {};
      for (const k in attributes) if (attributes[k] !== null && attributes[k] !== undefined) copy[k] = attributes[k];
      return copy;
    }
  }
  return attributes;
}

/** Whether `record` has at least one own or inherited enumerable key (no `Object.keys` array built). */
export function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}
