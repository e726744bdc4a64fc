import type { AccountPermissions } from '@stratus/plugin-api';
import type { CloudAccountIdentity } from './cloud-account.js';

/** Reads the fields every cloud's account entry shares, with errors that name the field. */
export interface AccountFields {
  /** Throws `<label> account field '<field>' <message>`. */
  fail(field: string, message: string): never;
  /** An optional string field (`''` and `null` count as absent); `required` makes absence an error. */
  str(raw: Record<string, unknown>, field: string, required?: boolean): string | undefined;
  /** `permissions: {READ: [roles], WRITE: [...], EXECUTE: [...]}`, or undefined when absent. */
  permissions(value: unknown): AccountPermissions | undefined;
  /**
   * `endpoint`, else the provider block's `endpoint`: a base URL (no path) with one of `protocols`
   * (`['https:']`); `expected` ends the error (`an https base URL such as https://…`).
   */
  endpoint(raw: Record<string, unknown>, defaults: Record<string, unknown>, protocols: readonly string[], expected: string): string | undefined;
  /**
   * `regions`, else the provider block's `defaultRegions`, each read by `parse(value, field)`, else
   * `[fallback]`; an empty list fails (`must name at least one <noun>`, `region` unless told).
   */
  regions<R>(raw: Record<string, unknown>, defaults: Record<string, unknown>, parse: (value: unknown, field: string) => R[], fallback: R, noun?: string): R[];
  /**
   * The validated account: `raw`'s fields but its `secrets`, then what every cloud's account has
   * (name, `cloudProvider` as `type` too, `environment` and `accountType` defaulting to the name),
   * then the cloud's `fields`. Each given secret is set non-enumerable: usable by the provider, left
   * out of what `/credentials?expand=true` serializes.
   */
  entry<P extends string, F extends Record<string, unknown>>(
    raw: Record<string, unknown>,
    identity: { readonly name: string; readonly cloudProvider: P },
    fields: F,
    secrets?: Readonly<Record<string, string | undefined>>,
  ): Record<string, unknown> & CloudAccountIdentity<P> & F;
}

/**
 * The field readers for one cloud's account entries; `label` starts each message the way operators
 * see it in the config (`aws`, `google`, `azure`). The readers need no `this`, so they destructure.
 */
export function accountFields(label: string): AccountFields {
  const fail = (field: string, message: string): never => {
    throw new Error(`${label} account field '${field}' ${message}`);
  };
  const str = (raw: Record<string, unknown>, field: string, required = false): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null || value === '') return required ? fail(field, 'is required') : undefined;
    if (typeof value !== 'string') return fail(field, 'must be a string');
    return value;
  };
  return {
    fail,
    str,
    permissions(value) {
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'object') return fail('permissions', 'must be a map of READ/WRITE/EXECUTE to roles');
      const out: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!['READ', 'WRITE', 'EXECUTE'].includes(k)) fail(`permissions.${k}`, 'is not READ, WRITE or EXECUTE');
        if (!Array.isArray(v) || v.some((r) => typeof r !== 'string')) fail(`permissions.${k}`, 'must be a list of roles');
        out[k] = v as string[];
      }
      return out;
    },
    endpoint(raw, defaults, protocols, expected) {
      const endpoint = str(raw, 'endpoint') ?? (typeof defaults.endpoint === 'string' ? defaults.endpoint : undefined);
      if (endpoint === undefined) return undefined;
      let url: URL | undefined;
      try {
        url = new URL(endpoint);
      } catch {
        url = undefined;
      }
      if (!url || !protocols.includes(url.protocol) || (url.pathname !== '/' && url.pathname !== ''))
        fail('endpoint', `must be ${expected} (got '${endpoint}')`);
      return endpoint;
    },
    regions(raw, defaults, parse, fallback, noun = 'region') {
      const regions =
        raw.regions !== undefined
          ? parse(raw.regions, 'regions')
          : defaults.defaultRegions !== undefined
            ? parse(defaults.defaultRegions, 'defaultRegions')
            : [fallback];
      if (regions.length === 0) fail('regions', `must name at least one ${noun}`);
      return regions;
    },
    entry(raw, { name, cloudProvider }, fields, secrets = {}) {
      const visible = Object.fromEntries(Object.entries(raw).filter(([key]) => !(key in secrets)));
      const environment = str(raw, 'environment') ?? name;
      const accountType = str(raw, 'accountType') ?? name;
      const account = { ...visible, name, cloudProvider, type: cloudProvider, environment, accountType, ...fields };
      for (const [key, value] of Object.entries(secrets)) {
        if (value !== undefined) Object.defineProperty(account, key, { value, enumerable: false });
      }
      return account;
    },
  };
}
