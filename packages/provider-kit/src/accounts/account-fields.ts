import type { AccountPermissions } from '@stratus/plugin-api';

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
  };
}
