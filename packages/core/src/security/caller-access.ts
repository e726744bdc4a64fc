/** An application permission, as Fiat names them. */
export type ApplicationAuthorization = 'READ' | 'WRITE' | 'EXECUTE';

/**
 * What the current caller may see and change. Built per request from `X-SPINNAKER-USER` and the
 * configured role source (a static role map, or Fiat); with no permissions configured on an account
 * everyone may read and write it.
 */
export interface CallerAccess {
  /** The user name, or undefined for an anonymous caller. */
  readonly user?: string | undefined;
  readonly roles: readonly string[];
  /** Fiat's `admin`, or a role in `security.adminRoles`: every account and application, and the admin endpoints. */
  readonly admin?: boolean;
  /** Fiat's `accountManager`: may manage accounts through the API (as a role in `security.accountManagerRoles` may). */
  readonly accountManager?: boolean;
  canReadAccount(account: string): boolean;
  canWriteAccount(account: string): boolean;
  /**
   * Application permissions (Fiat's `UserPermission.View.applications`). Absent = no application
   * permissions are known (no Fiat): every application is allowed and accounts decide.
   */
  canAccessApplication?(application: string, authorization: ApplicationAuthorization): boolean;
  /**
   * Names this access exactly: two callers with the same key may read, write and access the same
   * things (whoever they are), so a response built for one may be served to the other (the HTTP
   * view cache). Absent = unknown; such callers share nothing.
   */
  readonly viewKey?: string;
}

/** Access for callers when no permission checks apply (tests, internal calls). */
export const OPEN_ACCESS: CallerAccess = {
  roles: [],
  admin: true,
  canReadAccount: () => true,
  canWriteAccount: () => true,
};

/** True when the caller may use `application` that way (always, when no application permissions are known). */
export function canAccessApplication(access: CallerAccess, application: string, authorization: ApplicationAuthorization): boolean {
  return access.canAccessApplication ? access.canAccessApplication(application, authorization) : true;
}

/**
 * Builds the {@link CallerAccess} of a request from its headers (`X-SPINNAKER-USER`, trusted role
 * headers). May answer asynchronously (Fiat); the HTTP layer resolves it once per request.
 */
export interface AccessResolver {
  resolve(headers: Readonly<Record<string, string | string[] | undefined>>): CallerAccess | Promise<CallerAccess>;
}
