/** The keys of `T` whose value may be `undefined`. */
type MaybeUndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/** `T` with every possibly-undefined field made optional and `undefined` taken out of its type. */
export type DefinedOnly<T> = { [K in Exclude<keyof T, MaybeUndefinedKeys<T>>]: T[K] } & { [K in MaybeUndefinedKeys<T>]?: Exclude<T[K], undefined> };

/**
 * A shallow copy without the `undefined` fields, so options read from optional config can be handed
 * to a type whose optional fields (under `exactOptionalPropertyTypes`) mean "absent", not "undefined".
 */
export function definedOnly<T extends object>(value: T): DefinedOnly<T> {
  const result: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) result[key] = field;
  return result as DefinedOnly<T>;
}
