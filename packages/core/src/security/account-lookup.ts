import type { AccountCredentials } from '@stratus/plugin-api';

/** Read access to the configured accounts of every provider. */
export interface AccountLookup {
  get(name: string): AccountCredentials | undefined;
  all(): AccountCredentials[];
}
