/** A query or path value as a non-empty string; undefined for a missing, empty or repeated (array) value. */
export function queryText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
