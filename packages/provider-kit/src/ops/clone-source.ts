import { parseServerGroupName, type ValidationErrors } from '@stratus/plugin-api';
import { validateRegion, type RegionalAccountLike } from './validate-account.js';

/**
 * The `source` of a clone description (Orca's `cloneServerGroup`, Clouddriver's
 * `CopyLast…ServerGroup`): `{account|credentials, region, serverGroupName|asgName}`.
 */
export interface CloneSource {
  /** The source account's name: `source.account`, else `source.credentials`, else the description's `credentials`. */
  readonly accountName: string;
  readonly region: string;
  readonly serverGroupName: string;
  readonly raw: Record<string, unknown>;
}

function sourceRecord(d: Record<string, unknown>): Record<string, unknown> | undefined {
  const source = d.source;
  return source && typeof source === 'object' ? (source as Record<string, unknown>) : undefined;
}

/** Reads a clone description's source; call it after `validateCloneSource` passed. */
export function cloneSourceOf(d: Record<string, unknown>): CloneSource {
  const raw = sourceRecord(d) ?? {};
  return {
    accountName: String(raw.account ?? raw.credentials ?? d.credentials ?? ''),
    region: String(raw.region),
    serverGroupName: String(raw.serverGroupName ?? raw.asgName),
    raw,
  };
}

/**
 * Checks the source of a clone description: present, an account of this cloud (`cloudLabel` names
 * it in the message), one of its regions and a server group name. Returns the source account.
 */
export function validateCloneSource<A extends RegionalAccountLike>(
  d: Record<string, unknown>,
  errors: ValidationErrors,
  accounts: { get(name: string): A | undefined },
  cloudLabel: string,
): A | undefined {
  const source = sourceRecord(d);
  if (!source) {
    errors.reject('source', 'empty', 'source {account, region, serverGroupName} is required');
    return undefined;
  }
  const sourceAccount = accounts.get(cloneSourceOf(d).accountName);
  if (!sourceAccount) errors.reject('source.account', 'invalid', `'${String(source.account)}' is not a configured ${cloudLabel} account`);
  validateRegion(errors, sourceAccount, source.region, 'source.region');
  if (typeof (source.serverGroupName ?? source.asgName) !== 'string') errors.reject('source.serverGroupName', 'empty', 'source.serverGroupName is required');
  return sourceAccount;
}

/** The accounts a clone touches, for authorization: the target's and the source's. */
export function cloneAccountsOf(d: Record<string, unknown>): string[] {
  return [...new Set([d.credentials, sourceRecord(d)?.account].filter((x): x is string => typeof x === 'string'))];
}

/** The applications a clone touches, for authorization: the description's and the source group's. */
export function cloneApplicationsOf(d: Record<string, unknown>): string[] {
  const source = sourceRecord(d);
  const name = source?.serverGroupName ?? source?.asgName;
  const apps = [typeof d.application === 'string' ? d.application : undefined, typeof name === 'string' ? parseServerGroupName(name).app : undefined];
  return [...new Set(apps.filter((x): x is string => !!x))];
}
