/** Roles allowed to read and to write an account (Fiat's `Permissions`). */
export interface AccountPermissions {
  /** Roles that may see the account and its resources. */
  readonly READ?: readonly string[];
  /** Roles that may run operations on the account. */
  readonly WRITE?: readonly string[];
  /** Roles that may trigger pipelines with the account (Fiat; Stratus does not enforce it). */
  readonly EXECUTE?: readonly string[];
}

/** One configured account of a cloud provider, as `/credentials` shows it. */
export interface AccountCredentials {
  /** The account name, unique across every provider. */
  readonly name: string;
  /** The cloud provider id, e.g. `aws`, `kubernetes`, `gce`, `azure`. */
  readonly cloudProvider: string;
  /** Clouddriver's `type`; defaults to the cloud provider id. */
  readonly type?: string;
  /** Clouddriver's `accountType`; defaults to the cloud provider id. */
  readonly accountType?: string;
  /** The environment shown in Deck (e.g. `prod`); defaults to the account name. */
  readonly environment?: string;
  /** The cloud's own account id (AWS account number, GCP project, …), when it has one. */
  readonly accountId?: string;
  /** Who may read and write the account; an account without permissions is open to everyone. */
  readonly permissions?: AccountPermissions | undefined;
  /** Legacy permissions: roles granted both READ and WRITE. */
  readonly requiredGroupMembership?: readonly string[];
  /** Whether Deck asks for the account name before destructive actions. */
  readonly challengeDestructiveActions?: boolean;
  /** Whether Deck lists the account first among accounts of its type. */
  readonly primaryAccount?: boolean;
  /** Regions (or locations) this account covers, where the cloud has them. */
  readonly regions?: readonly { readonly name: string; readonly [key: string]: unknown }[];
  /** Provider-specific fields; shown by `/credentials?expand=true`. */
  readonly [key: string]: unknown;
}
