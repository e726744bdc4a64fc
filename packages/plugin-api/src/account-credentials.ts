/** Roles allowed to read and to write an account (Fiat's `Permissions`). */
export interface AccountPermissions {
  readonly READ?: readonly string[];
  readonly WRITE?: readonly string[];
  readonly EXECUTE?: readonly string[];
}

/** One configured account of a cloud provider, as `/credentials` shows it. */
export interface AccountCredentials {
  readonly name: string;
  /** The cloud provider id, e.g. `aws`, `kubernetes`, `gce`, `azure`. */
  readonly cloudProvider: string;
  /** Clouddriver's `type`; defaults to the cloud provider id. */
  readonly type?: string;
  readonly accountType?: string;
  readonly environment?: string;
  readonly accountId?: string;
  readonly permissions?: AccountPermissions;
  readonly requiredGroupMembership?: readonly string[];
  readonly challengeDestructiveActions?: boolean;
  readonly primaryAccount?: boolean;
  /** Regions (or locations) this account covers, where the cloud has them. */
  readonly regions?: readonly { readonly name: string; readonly [key: string]: unknown }[];
  /** Provider-specific fields; shown by `/credentials?expand=true`. */
  readonly [key: string]: unknown;
}
