import type { CallerAccess } from '@stratus/core';
import { HttpError } from './define-route.js';

/**
 * Refuses `what` unless the caller is an admin (a role in `configKey`, or Fiat's `admin`). With no
 * role configured nobody but a Fiat admin gets in, and the 403 names the key to set: an operator
 * who never configured admins must not find the endpoints open to anyone.
 */
export function assertRole(access: CallerAccess, configuredRoles: readonly string[], what: string, configKey: string): void {
  const allowed = configuredRoles.map((role) => role.toLowerCase());
  // Admins (a role in security.adminRoles, or Fiat's admin flag) may do everything.
  if (access.admin) return;
  if (allowed.length === 0) {
    throw new HttpError(403, `Access denied: ${what} is refused until ${configKey} names a role allowed to use it`, { errors: [`${configKey} is empty`] });
  }
  if (!access.roles.some((role) => allowed.includes(role.toLowerCase()))) {
    throw new HttpError(403, `Access denied: ${what} needs one of the roles in ${configKey}`, { errors: [`${configKey}: none of the caller's roles`] });
  }
}

/** `/admin/*`: admins only (`security.adminRoles`). */
export function assertAdmin(access: CallerAccess, adminRoles: readonly string[], what: string): void {
  assertRole(access, adminRoles, what, 'security.adminRoles');
}
