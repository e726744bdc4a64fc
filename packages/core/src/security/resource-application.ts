import { monikerOf } from '@stratus/plugin-api';
import { canAccessApplication, type CallerAccess } from './caller-access.js';

export interface ApplicationOfOptions {
  /**
   * False for resources whose own name is no Frigga name (instances: `i-0abc` is no application
   * `i`): only their moniker, `application` or the server group they belong to count.
   */
  readonly ownName?: boolean;
}

/** Fields naming the server group, cluster or load balancer a resource belongs to (items and parsed keys). */
const OWNER_FIELDS = ['serverGroup', 'serverGroupName', 'cluster', 'loadBalancer'];

/**
 * The application a cloud resource belongs to, as Clouddriver's Fiat checks find it: the item's
 * `moniker.app`, else its `application` field, else the Frigga name prefix (`app-stack-detail-vNNN`)
 * of the server group, cluster or load balancer it belongs to (`serverGroup` for instances; the
 * fields of a parsed cache key) or of its own `name`.
 * Undefined when none of these names an application.
 */
export function applicationOfResource(item: Readonly<Record<string, unknown>>, options: ApplicationOfOptions = {}): string | undefined {
  const moniker = item.moniker as { app?: unknown } | undefined;
  if (moniker && typeof moniker.app === 'string' && moniker.app) return moniker.app;
  if (typeof item.application === 'string' && item.application) return item.application;
  for (const field of options.ownName === false ? OWNER_FIELDS : [...OWNER_FIELDS, 'name']) {
    const value = item[field];
    if (typeof value === 'string' && value) return monikerOf(value).app || undefined;
  }
  return undefined;
}

/**
 * True when the caller may READ the application `item` belongs to (docs/threat-model.md). Always
 * true when the caller's access carries no application permissions (no Fiat: accounts alone decide),
 * so installs with the static role map see no change.
 */
export function canReadResourceApplication(access: CallerAccess, item: Readonly<Record<string, unknown>>, options: ApplicationOfOptions = {}): boolean {
  if (!appliesApplicationPermissions(access)) return true;
  const application = applicationOfResource(item, options);
  return application === undefined || canAccessApplication(access, application, 'READ');
}

/** True when the caller's access carries application permissions that can hide something (Fiat, not admin). */
export function appliesApplicationPermissions(access: CallerAccess): boolean {
  return access.canAccessApplication !== undefined && !access.admin;
}
