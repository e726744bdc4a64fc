import type { AccountCredentials } from '@stratus/plugin-api';

/** READ and WRITE roles of an account, lower-cased (Fiat compares roles case-insensitively). */
export interface EffectivePermissions {
  readonly READ: string[];
  readonly WRITE: string[];
}

const lower = (roles: readonly unknown[] | undefined): string[] =>
  (roles ?? []).filter((role): role is string => typeof role === 'string' && role.length > 0).map((role) => role.toLowerCase());

/**
 * Clouddriver's account permissions: explicit `permissions` when any are set, otherwise every
 * `requiredGroupMembership` role gets READ and WRITE (`AbstractAccountCredentials#getPermissions`).
 */
export function effectivePermissions(account: AccountCredentials): EffectivePermissions {
  const explicit = account.permissions;
  const read = lower(explicit?.READ);
  const write = lower(explicit?.WRITE);
  if (read.length > 0 || write.length > 0) return { READ: read, WRITE: write };
  const groups = lower(account.requiredGroupMembership);
  return { READ: [...groups], WRITE: [...groups] };
}

/** True when the account limits who may read or write it (Fiat's `Permissions.isRestricted`). */
export function isRestricted(permissions: EffectivePermissions): boolean {
  return permissions.READ.length > 0 || permissions.WRITE.length > 0;
}
