import type { Logger } from '@stratus/plugin-api';
import type { AccessResolver, ApplicationAuthorization, CallerAccess } from './caller-access.js';
import { USER_HEADER } from './permission-access-resolver.js';

/** One resource in Fiat's `UserPermission.View`: a name and what the user may do with it. */
interface FiatResourceView {
  readonly name?: unknown;
  readonly authorizations?: unknown;
}

/** The parts of Fiat's `UserPermission.View` (`GET /authorize/{user}`) Stratus reads. */
export interface FiatUserPermission {
  readonly name?: string;
  readonly accounts?: readonly FiatResourceView[];
  readonly applications?: readonly FiatResourceView[];
  readonly roles?: readonly { readonly name?: unknown }[];
  readonly admin?: boolean;
  readonly accountManager?: boolean;
  readonly allowAccessToUnknownApplications?: boolean;
  readonly legacyFallback?: boolean;
}

export interface FiatAccessResolverOptions {
  /** Fiat's base URL (`services.fiat.baseUrl`). */
  readonly baseUrl: string;
  /** How long a user's permissions are reused (Clouddriver caches them for seconds too). */
  readonly cacheTtlMs?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

/** The user Fiat knows anonymous callers as. */
export const FIAT_ANONYMOUS_USER = 'anonymous';

type Grants = ReadonlyMap<string, ReadonlySet<string>>;

function grantsOf(views: readonly FiatResourceView[] | undefined): Grants {
  const grants = new Map<string, Set<string>>();
  for (const view of views ?? []) {
    if (typeof view?.name !== 'string') continue;
    const set = grants.get(view.name.toLowerCase()) ?? new Set<string>();
    for (const authorization of Array.isArray(view.authorizations) ? view.authorizations : []) {
      if (typeof authorization === 'string') set.add(authorization.toUpperCase());
    }
    grants.set(view.name.toLowerCase(), set);
  }
  return grants;
}

/**
 * The caller's access from Fiat, as Clouddriver's `FiatPermissionEvaluator` decides it: admins may
 * do everything; an account needs READ (resp. WRITE) in the user's account list (names compared
 * case-insensitively); an application needs the authorization in the user's application list,
 * except that an application Fiat lists no permissions for is open when
 * `allowAccessToUnknownApplications` is set (or with `legacyFallback`). Permissions are fetched from
 * `GET /authorize/{user}` and cached briefly per user; when Fiat cannot be reached the caller gets
 * no permissions at all (fail closed) and the error is logged without Fiat's answer body.
 */
export class FiatAccessResolver implements AccessResolver {
  private readonly cache = new Map<string, { expires: number; readonly permission: Promise<FiatUserPermission | undefined> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;
  /**
   * The access built from a fetched permission, per caller name (undefined = anonymous): reused
   * while that very permission object is (a refetch after the TTL or an `invalidate` brings a new
   * one, so no access outlives the permission it came from). A failed lookup is never kept.
   */
  private readonly accesses = new WeakMap<FiatUserPermission, Map<string | undefined, CallerAccess>>();

  constructor(private readonly options: FiatAccessResolverOptions) {
    this.ttlMs = options.cacheTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async resolve(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<CallerAccess> {
    const raw = headers[USER_HEADER];
    const user = (Array.isArray(raw) ? raw[0] : raw)?.trim() || undefined;
    const permission = await this.permissionOf(user ?? FIAT_ANONYMOUS_USER);
    if (!permission) return accessFromFiat(user, permission);
    let byUser = this.accesses.get(permission);
    if (!byUser) this.accesses.set(permission, (byUser = new Map()));
    let access = byUser.get(user);
    if (!access) {
      const built = accessFromFiat(user, permission);
      Object.freeze(built.roles);
      byUser.set(user, (access = Object.freeze(built)));
    }
    return access;
  }

  /** Forgets cached permissions (all, or one user's). */
  invalidate(user?: string): void {
    if (user === undefined) this.cache.clear();
    else this.cache.delete(user);
  }

  private permissionOf(user: string): Promise<FiatUserPermission | undefined> {
    const cached = this.cache.get(user);
    if (cached && cached.expires > this.now()) return cached.permission;
    const permission = this.fetchPermission(user);
    this.cache.set(user, { expires: this.now() + this.ttlMs, permission });
    // A failure is kept for at most 2 s: callers do not each wait for an unreachable Fiat, and a
    // blip does not lock a user out for the whole TTL.
    void permission.then((value) => {
      const entry = this.cache.get(user);
      if (value === undefined && entry?.permission === permission) entry.expires = Math.min(entry.expires, this.now() + 2_000);
    });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return permission;
  }

  private async fetchPermission(user: string): Promise<FiatUserPermission | undefined> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/authorize/${encodeURIComponent(user)}`;
    try {
      const response = await this.fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
      if (response.status === 404) {
        await response.body?.cancel();
        return { name: user, accounts: [], applications: [], roles: [] };
      }
      if (!response.ok) {
        await response.body?.cancel();
        this.options.logger?.warn({ user, status: response.status }, 'Fiat refused the permission lookup; the caller gets no permissions');
        return undefined;
      }
      const body = (await response.json()) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a UserPermission.View object');
      return body as FiatUserPermission;
    } catch (error) {
      this.options.logger?.warn(
        { user, reason: error instanceof Error ? error.name : 'error' },
        'Fiat permission lookup failed; the caller gets no permissions',
      );
      return undefined;
    }
  }
}

/** Builds a caller's access from Fiat's view of them (undefined view = no permissions). */
export function accessFromFiat(user: string | undefined, permission: FiatUserPermission | undefined): CallerAccess {
  const admin = permission?.admin === true;
  const accounts = grantsOf(permission?.accounts);
  const applications = grantsOf(permission?.applications);
  const roles = (permission?.roles ?? []).map((role) => role?.name).filter((name): name is string => typeof name === 'string');
  const openUnknown = permission?.allowAccessToUnknownApplications === true;
  const legacy = permission?.legacyFallback === true;
  const has = (grants: Grants, name: string, authorization: string) => admin || grants.get(name.toLowerCase())?.has(authorization) === true;
  return {
    ...(user ? { user } : {}),
    roles,
    admin,
    // Everything below depends on these and nothing else (not on the user's name).
    get viewKey() {
      return viewKeyOf(permission, admin, accounts, applications, openUnknown, legacy);
    },
    accountManager: permission?.accountManager === true,
    canReadAccount: (account) => has(accounts, account, 'READ'),
    canWriteAccount: (account) => has(accounts, account, 'WRITE'),
    canAccessApplication: (application: string, authorization: ApplicationAuthorization) => {
      if (admin) return true;
      if (!applications.has(application.toLowerCase()) && openUnknown) return true;
      return legacy || has(applications, application, authorization);
    },
  };
}

const viewKeys = new WeakMap<FiatUserPermission, string>();

/** A canonical name of a Fiat permission's grants, computed once per fetched permission. */
function viewKeyOf(
  permission: FiatUserPermission | undefined,
  admin: boolean,
  accounts: Grants,
  applications: Grants,
  openUnknown: boolean,
  legacy: boolean,
): string {
  if (admin) return 'admin';
  if (!permission) return 'none';
  let key = viewKeys.get(permission);
  if (key === undefined) {
    const canonical = (grants: Grants) => [...grants].map(([name, set]) => `${name}=${[...set].sort().join('+')}`).sort();
    key = JSON.stringify([canonical(accounts), canonical(applications), openUnknown, legacy, permission.accountManager === true]);
    viewKeys.set(permission, key);
  }
  return key;
}
