import type { AccountPermissions } from '@stratus/plugin-api';

/**
 * Whether a caller with `roles` may see and use an artifact account, with the same rules as cloud
 * accounts: an account without `permissions` (or `requiredGroupMembership`) is open to everyone;
 * otherwise the caller needs one of its READ roles (compared case-insensitively) or an admin role.
 */
export function canReadArtifactAccount(
  account: { readonly permissions?: AccountPermissions; readonly requiredGroupMembership?: readonly string[] },
  roles: readonly string[],
  adminRoles: readonly string[] = [],
): boolean {
  const lower = (list: readonly unknown[] | undefined) =>
    (list ?? []).filter((role): role is string => typeof role === 'string' && role !== '').map((role) => role.toLowerCase());
  const callerRoles = new Set(lower(roles));
  if (lower(adminRoles).some((role) => callerRoles.has(role))) return true;
  const explicitRead = lower(account.permissions?.READ);
  const explicitWrite = lower(account.permissions?.WRITE);
  const groups = lower(account.requiredGroupMembership);
  const read = explicitRead.length > 0 || explicitWrite.length > 0 ? explicitRead : groups;
  const restricted = explicitRead.length > 0 || explicitWrite.length > 0 || groups.length > 0;
  return !restricted || read.some((role) => callerRoles.has(role));
}
