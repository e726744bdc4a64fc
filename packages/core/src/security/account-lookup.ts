import type { AccountCredentials } from '@stratus/plugin-api';

/** Read access to the configured accounts of every provider. */
export interface AccountLookup {
  get(name: string): AccountCredentials | undefined;
  all(): AccountCredentials[];
  /**
   * Moves whenever an account is added, replaced or removed (the account registry's). Lets what is
   * derived from the accounts (a caller's access) be reused until it moves; absent = never reused.
   */
  readonly version?: number;
}
