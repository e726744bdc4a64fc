import { toPlainJson } from '@stratus/provider-kit';

/**
 * Converts an SDK v3 response object to the JSON Clouddriver exposes: keys as Jackson names the
 * Java SDK's getters (the leading run of capitals lower-cased: `MinSize` → `minSize`,
 * `VPCZoneIdentifier` → `vpczoneIdentifier`, `DNSName` → `dnsname`), dates as epoch milliseconds,
 * `undefined` dropped. Deck and Orca read these names (e.g. `asg.vpczoneIdentifier`).
 */
export function toPlain<T>(value: T): AwsPlain<T> {
  return toPlainJson(value, { date: (d) => d.getTime(), skipKey: (key) => key === '$metadata', rename: jacksonName }) as AwsPlain<T>;
}

type IsUpper<C extends string> = C extends Lowercase<C> ? false : true;
/** `jacksonName` on the type level: the leading run of capitals lower-cased. */
export type JacksonName<K extends string> = K extends `${infer C}${infer Rest}` ? (IsUpper<C> extends true ? `${Lowercase<C>}${JacksonName<Rest>}` : K) : K;

/** The type of `toPlain(value: T)`: the SDK model with Jackson's key names, dates as epoch ms, no `$metadata`. */
export type AwsPlain<T> = T extends Date
  ? number
  : T extends readonly (infer E)[]
    ? AwsPlain<E>[]
    : T extends object
      ? { [K in keyof T as K extends '$metadata' ? never : K extends string ? JacksonName<K> : K]: AwsPlain<T[K]> }
      : T;

export function jacksonName(key: string): string {
  let i = 0;
  while (i < key.length && key[i]! >= 'A' && key[i]! <= 'Z') i++;
  return key.slice(0, i).toLowerCase() + key.slice(i);
}

/** AWS tag lists (`[{Key, Value}]`) as a map. */
export function tagMap(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/** The name inside an ELBv2 ARN (`…:targetgroup/<name>/<id>`, `…:loadbalancer/app/<name>/<id>`). */
export function nameFromArn(arn: string): string {
  const resource = arn.slice(arn.lastIndexOf(':') + 1).split('/');
  return resource.length >= 3 ? resource[resource.length - 2]! : resource[resource.length - 1]!;
}
