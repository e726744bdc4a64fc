export interface PlainJsonOptions {
  /** How a `Date` is written (providers follow their Clouddriver JSON: epoch ms or ISO strings). */
  readonly date?: (value: Date) => unknown;
  /** Keys left out (besides `undefined` values). */
  readonly skipKey?: (key: string, value: unknown) => boolean;
  /** The name a key is written under. */
  readonly rename?: (key: string) => string;
}

/**
 * The type of `toPlainJson(value: T)` when keys keep their names and null-valued keys are dropped:
 * the SDK model's own shape with `Date`s written as `TDate` and `null` gone from property types.
 * Providers whose options rename keys map the names themselves (the AWS provider's `AwsPlain`).
 */
export type Plain<T, TDate = Date> = T extends Date
  ? TDate
  : T extends readonly (infer E)[]
    ? Plain<E, TDate>[]
    : T extends (...args: never) => unknown
      ? T
      : T extends object
        ? { [K in keyof T]: Plain<Exclude<T[K], null>, TDate> }
        : T;

/**
 * Converts an SDK response object to plain JSON for the cache, recursively: `undefined` values
 * dropped, dates, keys and names as the provider's options say. Arrays keep their order. The result
 * is `unknown` here because only the caller knows what its options did to the shape; each provider's
 * `toPlain` states it once (`Plain<T>` or its own mapped type).
 */
export function toPlainJson(value: unknown, options: PlainJsonOptions = {}): unknown {
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
