export interface PlainJsonOptions {
  /** How a `Date` is written (providers follow their Clouddriver JSON: epoch ms or ISO strings). */
  readonly date?: (value: Date) => unknown;
  /** Keys left out (besides `undefined` values). */
  readonly skipKey?: (key: string, value: unknown) => boolean;
  /** The name a key is written under. */
  readonly rename?: (key: string) => string;
}

/**
 * Converts an SDK response object to plain JSON for the cache, recursively: `undefined` values
 * dropped, dates, keys and names as the provider's options say. Arrays keep their order.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- SDK models become wire JSON that callers read field by field
export function toPlainJson(value: unknown, options: PlainJsonOptions = {}): any {
  if (value instanceof Date && options.date) return options.date(value);
  if (Array.isArray(value)) return value.map((v) => toPlainJson(v, options));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || options.skipKey?.(key, v)) continue;
      out[options.rename ? options.rename(key) : key] = toPlainJson(v, options);
    }
    return out;
  }
  return value;
}
