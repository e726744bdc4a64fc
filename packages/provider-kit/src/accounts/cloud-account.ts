import type { AccountCredentials, AccountPermissions } from '@stratus/plugin-api';

/**
 * One validated account entry of a regional cloud (`aws`, `gce`, `azure`): what every cloud's entry
 * has (name, provider, environment, account type), its regions (or locations) and who may use it;
 * the cloud's interface adds its own fields.
 */
export interface CloudAccount<P extends string, R extends { readonly name: string }> extends AccountCredentials {
  readonly name: string;
  readonly cloudProvider: P;
  readonly type: P;
  readonly environment: string;
  readonly accountType: string;
  readonly regions: readonly R[];
  readonly permissions?: AccountPermissions;
}

/** What `AccountFields.entry` sets on every cloud's account. */
export type CloudAccountIdentity<P extends string> = Pick<
  CloudAccount<P, { readonly name: string }>,
  'name' | 'cloudProvider' | 'type' | 'environment' | 'accountType'
>;
