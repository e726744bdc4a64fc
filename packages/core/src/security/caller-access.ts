/**
 * What the current caller may see and change. Built per request from `X-SPINNAKER-USER` and the
 * configured role source; with no permissions configured on an account everyone may read and write it.
 */
export interface CallerAccess {
  /** The user name, or undefined for an anonymous caller. */
  readonly user?: string;
  readonly roles: readonly string[];
  canReadAccount(account: string): boolean;
  canWriteAccount(account: string): boolean;
}

/** Access for callers when no permission checks apply (tests, internal calls). */
export const OPEN_ACCESS: CallerAccess = {
  roles: [],
  canReadAccount: () => true,
  canWriteAccount: () => true,
};

/** Builds the {@link CallerAccess} of a request from its headers (`X-SPINNAKER-USER`, trusted role headers). */
export interface AccessResolver {
  resolve(headers: Readonly<Record<string, string | string[] | undefined>>): CallerAccess;
}
