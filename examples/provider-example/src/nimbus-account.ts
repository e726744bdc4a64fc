import type { AccountCredentials } from '@stratus/plugin-api';
import { NIMBUS } from './nimbus-keys.js';

/** One configured Nimbus account (an element of `nimbus.accounts[]`). */
export interface NimbusAccount extends AccountCredentials {
  readonly cloudProvider: typeof NIMBUS;
  /** The Nimbus API base URL, e.g. `https://api.nimbus.example`. */
  readonly endpoint: string;
  /** The API token; kept off `/credentials` by the server's redaction of `token` fields. */
  readonly token: string;
  readonly regions: readonly { readonly name: string }[];
  /** Seconds between caching runs (default 30). */
  readonly cacheIntervalSeconds: number;
}

const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Validates one raw account. Every error names the field, so the server can say
 * "account nimbus-prod: endpoint must be an http(s) URL" instead of crashing later.
 */
export function parseNimbusAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): NimbusAccount {
  const merged = { ...defaults, ...raw };
  const { name, endpoint, token, regions, cacheIntervalSeconds = 30, environment, permissions } = merged;
  if (typeof name !== 'string' || !NAME.test(name)) throw new Error('name must be lower-case letters, digits and dashes');
  if (typeof endpoint !== 'string' || !/^https?:\/\/[^/]+/.test(endpoint)) throw new Error('endpoint must be an http(s) URL');
  if (typeof token !== 'string' || token === '') throw new Error('token must be a non-empty string');
  if (!Array.isArray(regions) || regions.length === 0 || !regions.every((r) => typeof r === 'string' && NAME.test(r))) {
    throw new Error('regions must be a non-empty list of region names');
  }
  if (typeof cacheIntervalSeconds !== 'number' || !Number.isInteger(cacheIntervalSeconds) || cacheIntervalSeconds <= 0) {
    throw new Error('cacheIntervalSeconds must be a positive integer');
  }
  return {
    name,
    cloudProvider: NIMBUS,
    type: NIMBUS,
    accountType: NIMBUS,
    environment: typeof environment === 'string' ? environment : name,
    endpoint: endpoint.replace(/\/+$/, ''),
    token,
    regions: (regions as string[]).map((region) => ({ name: region })),
    cacheIntervalSeconds,
    ...(typeof permissions === 'object' && permissions !== null ? { permissions } : {}),
  };
}
