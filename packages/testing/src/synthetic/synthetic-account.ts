import type { AccountCredentials, AccountPermissions } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/core';
import { SYNTHETIC } from './synthetic-keys.js';

/** One `synthetic.accounts[]` entry after validation. */
export interface SyntheticAccountCredentials extends AccountCredentials {
  readonly cloudProvider: 'synthetic';
  readonly regions: readonly { readonly name: string }[];
  readonly seed: number;
  readonly applications: number;
  readonly serverGroupsPerApplication: number;
  readonly instancesPerServerGroup: number;
}

const ACCOUNT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const REGION_NAME = /^[a-z0-9][a-z0-9-]*$/;

function count(raw: Record<string, unknown>, defaults: Record<string, unknown>, field: string, fallback: number): number {
  const value = raw[field] ?? defaults[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
    throw new Error(`${field} must be an integer between 0 and 100000, got ${JSON.stringify(value)}`);
  }
  return value;
}

function roles(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((role) => typeof role !== 'string')) throw new Error(`${field} must be a list of role names`);
  return value as string[];
}

/**
 * Validates one raw `synthetic.accounts[]` entry:
 * `{name, regions, permissions, environment, seed, applications, serverGroupsPerApplication, instancesPerServerGroup}`,
 * plus Clouddriver's optional `requiredGroupMembership`, `accountId`, `challengeDestructiveActions`, `primaryAccount`.
 * Errors name the offending field.
 */
export function parseSyntheticAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): SyntheticAccountCredentials {
  const name = raw.name;
  if (typeof name !== 'string' || !ACCOUNT_NAME.test(name)) {
    throw new Error(`name must be a non-empty account name (letters, digits, '.', '_', '-'), got ${JSON.stringify(name)}`);
  }
  const rawRegions = raw.regions ?? defaults.regions ?? ['us-east-1'];
  if (!Array.isArray(rawRegions) || rawRegions.length === 0) throw new Error('regions must be a non-empty list');
  const regions = rawRegions.map((region, index) => {
    const regionName = typeof region === 'string' ? region : (region as { name?: unknown } | null)?.name;
    if (typeof regionName !== 'string' || !REGION_NAME.test(regionName)) {
      throw new Error(`regions[${index}] must be a region name or {name}, got ${JSON.stringify(region)}`);
    }
    return { name: regionName };
  });
  if (new Set(regions.map((r) => r.name)).size !== regions.length) throw new Error('regions must not repeat a region');

  const permissionsRaw = raw.permissions ?? {};
  if (typeof permissionsRaw !== 'object' || permissionsRaw === null || Array.isArray(permissionsRaw)) {
    throw new Error('permissions must be a map of READ/WRITE/EXECUTE role lists');
  }
  const p = permissionsRaw as Record<string, unknown>;
  const permissions: AccountPermissions = definedOnly({
    READ: roles(p.READ, 'permissions.READ'),
    WRITE: roles(p.WRITE, 'permissions.WRITE'),
    EXECUTE: roles(p.EXECUTE, 'permissions.EXECUTE'),
  });
  const environment = raw.environment ?? defaults.environment ?? name;
  if (typeof environment !== 'string') throw new Error('environment must be a string');
  const seed = raw.seed ?? defaults.seed ?? 1;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${JSON.stringify(seed)}`);

  const requiredGroupMembership = roles(raw.requiredGroupMembership, 'requiredGroupMembership');
  const flag = (field: 'challengeDestructiveActions' | 'primaryAccount'): Record<string, boolean> => {
    if (raw[field] === undefined) return {};
    if (typeof raw[field] !== 'boolean') throw new Error(`${field} must be true or false`);
    return { [field]: raw[field] };
  };
  if (raw.accountId !== undefined && typeof raw.accountId !== 'string') throw new Error('accountId must be a string');

  return {
    name,
    cloudProvider: SYNTHETIC,
    ...(requiredGroupMembership ? { requiredGroupMembership } : {}),
    ...(typeof raw.accountId === 'string' ? { accountId: raw.accountId } : {}),
    ...flag('challengeDestructiveActions'),
    ...flag('primaryAccount'),
    type: SYNTHETIC,
    accountType: name,
    environment,
    permissions,
    regions,
    seed,
    applications: count(raw, defaults, 'applications', 3),
    serverGroupsPerApplication: count(raw, defaults, 'serverGroupsPerApplication', 2),
    instancesPerServerGroup: count(raw, defaults, 'instancesPerServerGroup', 2),
  };
}
