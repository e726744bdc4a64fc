import type { AccountLookup } from './account-lookup.js';
import type { AccessResolver, CallerAccess } from './caller-access.js';
import { effectivePermissions, isRestricted, type EffectivePermissions } from './effective-permissions.js';

/** Where callers' roles come from. */
export interface RoleSourceConfig {
  /** Static map user → roles. */
  readonly users?: Readonly<Record<string, readonly string[]>>;
  /**
   * A header carrying the caller's roles, comma-separated (e.g. `X-SPINNAKER-ROLES`). Only for a
   * server reachable solely through a trusted proxy that sets it: anyone else could claim any role.
   */
  readonly rolesHeader?: string | undefined;
  /** Roles every caller has, including anonymous ones. */
  readonly defaultRoles?: readonly string[];
  /** Roles that may read and write every account (Fiat admins). */
  readonly adminRoles?: readonly string[];
  /**
   * Honour `X-SPINNAKER-ACCOUNTS` (the accounts Gate lets the caller use when Fiat is off): when the
   * header is present, only the accounts it lists are allowed, on top of the permission checks.
   * Trusted proxies only, like {@link rolesHeader}.
   */
  readonly trustAccountsHeader?: boolean;
}

/** Gate's legacy allowed-accounts header. */
export const ACCOUNTS_HEADER = 'x-spinnaker-accounts';

/** The header naming the caller, as Gate and Orca send it. */
export const USER_HEADER = 'x-spinnaker-user';

function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Callers' accesses kept at most: more distinct identities than this only cost rebuilds. */
const MAX_CACHED_ACCESSES = 1_024;

/** One header value, named unambiguously in a cache key (absent differs from empty). */
const keyPart = (value: string | undefined): string => (value === undefined ? '-' : `${value.length}:${value}`);

/**
 * Builds a caller's access from `X-SPINNAKER-USER` and the configured role source, with Fiat's
 * semantics for accounts: an unrestricted account (no permissions, no required groups) is open to
 * everyone; a restricted one needs a role in its READ (resp. WRITE) list — WRITE does not imply
 * READ. An account that is not configured (any more) cannot be read, so data a removed account
 * left in the cache disappears from every read at once, as with Fiat; writes naming an unknown
 * account are left to the operation's validation while no account is restricted.
 *
 * Every request would otherwise build the same access again (Deck and Gate poll): a built access is
 * reused for the exact same identity — the header values it was built from, byte for byte — while
 * the role source is the same object (a config reload replaces it) and the accounts' `version` has
 * not moved (any account added, changed or removed). A lookup without a `version` is never cached.
 */
export class PermissionAccessResolver implements AccessResolver {
  private cached: { readonly config: RoleSourceConfig; readonly version: number; readonly entries: Map<string, CallerAccess> } | undefined;

  /**
   * `roles` may be a function, read on every request, so a config reload changes roles without a
   * restart. A role source is never changed in place: a change comes as a new object.
   */
  constructor(
    private readonly accounts: AccountLookup,
    private readonly roles: RoleSourceConfig | (() => RoleSourceConfig) = {},
  ) {}

  resolve(headers: Readonly<Record<string, string | string[] | undefined>>): CallerAccess {
    const config = typeof this.roles === 'function' ? this.roles() : this.roles;
    // Everything of the request the access depends on: nothing else of it is read below.
    const userValue = headerValue(headers, USER_HEADER);
    const rolesValue = config.rolesHeader ? headerValue(headers, config.rolesHeader) : undefined;
    const listed = config.trustAccountsHeader ? headerValue(headers, ACCOUNTS_HEADER) : undefined;
    const version = this.accounts.version;
    if (version === undefined) return this.build(config, userValue, rolesValue, listed);
    let cached = this.cached;
    if (cached?.config !== config || cached.version !== version) cached = this.cached = { config, version, entries: new Map() };
    const key = keyPart(userValue) + keyPart(rolesValue) + keyPart(listed);
    let access = cached.entries.get(key);
    if (access === undefined) {
      access = Object.freeze(this.build(config, userValue, rolesValue, listed));
      if (cached.entries.size >= MAX_CACHED_ACCESSES) cached.entries.delete(cached.entries.keys().next().value!);
      cached.entries.set(key, access);
    }
    return access;
  }

  private build(config: RoleSourceConfig, userValue: string | undefined, rolesValue: string | undefined, listed: string | undefined): CallerAccess {
    const user = userValue?.trim() || undefined;
    const roles = new Set<string>((config.defaultRoles ?? []).map((role) => role.toLowerCase()));
    if (user) {
      // Own entries only: a caller named `constructor` or `__proto__` must not reach Object.prototype.
      const configured = configuredRoles(config.users, user) ?? configuredRoles(config.users, user.toLowerCase()) ?? [];
      for (const role of configured) roles.add(role.toLowerCase());
    }
    for (const role of (rolesValue ?? '').split(',')) {
      if (role.trim()) roles.add(role.trim().toLowerCase());
    }
    const admin = (config.adminRoles ?? []).some((role) => roles.has(role.toLowerCase()));
    let anyRestricted: boolean | undefined; // computed once per access (the accounts' version), only if an unknown account is asked about
    const allowedAccounts =
      listed === undefined
        ? undefined
        : new Set(
            listed
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean),
          );
    const allowed = (account: string, kind: keyof EffectivePermissions): boolean => {
      if (admin) return true;
      if (allowedAccounts && !allowedAccounts.has(account)) return false;
      const credentials = this.accounts.get(account);
      if (!credentials) return kind === 'WRITE' && !(anyRestricted ??= this.anyRestricted());
      const permissions = effectivePermissions(credentials);
      if (!isRestricted(permissions)) return true;
      return permissions[kind].some((role) => roles.has(role));
    };
    let viewKey: string | undefined;
    return {
      ...(user ? { user } : {}),
      roles: Object.freeze([...roles]),
      admin,
      canReadAccount: (account) => allowed(account, 'READ'),
      canWriteAccount: (account) => allowed(account, 'WRITE'),
      // What `allowed` depends on besides the accounts' own config: the user matters only through roles.
      get viewKey() {
        return (viewKey ??= admin ? 'admin' : JSON.stringify([[...roles].sort(), allowedAccounts ? [...allowedAccounts].sort() : null]));
      },
    };
  }

  private anyRestricted(): boolean {
    return this.accounts.all().some((account) => isRestricted(effectivePermissions(account)));
  }
}

/** The roles the config lists for `user`, if it lists that user as an own entry. */
function configuredRoles(users: RoleSourceConfig['users'], user: string): readonly string[] | undefined {
  return users && Object.hasOwn(users, user) ? users[user] : undefined;
}
