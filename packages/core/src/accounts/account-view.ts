import type { AccountCredentials } from '@stratus/plugin-api';
import { effectivePermissions } from '../security/effective-permissions.js';

/** The summary Gate's `Account` model reads from `GET /credentials` (docs/architecture.md, "Read views and account summaries"). */
export interface AccountSummaryView {
  readonly name: string;
  readonly environment: string;
  readonly accountType: string;
  readonly cloudProvider: string;
  readonly type: string;
  readonly requiredGroupMembership: string[];
  readonly permissions: { READ: string[]; WRITE: string[] };
  readonly accountId?: string;
  readonly challengeDestructiveActions: boolean;
  readonly primaryAccount: boolean;
  readonly [key: string]: unknown;
}

/** Fields that hold secrets or live handles and never leave the server. */
const HIDDEN_FIELD = /^(credentials|password|passwd|secret.*|.*secret|.*secretkey|.*token|privatekey.*|.*privatekey|kubeconfigcontents|.*apikey)$/i;

/** Clouddriver's `/credentials` summary of an account, with its defaults filled in. */
export function accountSummary(account: AccountCredentials): AccountSummaryView {
  const permissions = effectivePermissions(account);
  return {
    name: account.name,
    environment: account.environment ?? account.name,
    accountType: account.accountType ?? account.name,
    cloudProvider: account.cloudProvider,
    type: account.type ?? account.cloudProvider,
    requiredGroupMembership: [...(account.requiredGroupMembership ?? [])],
    permissions: { READ: permissions.READ, WRITE: permissions.WRITE },
    ...(account.accountId !== undefined ? { accountId: account.accountId } : {}),
    challengeDestructiveActions: account.challengeDestructiveActions ?? false,
    primaryAccount: account.primaryAccount ?? false,
  };
}

/**
 * The whole account as `/credentials?expand=true` and `/credentials/{name}` show it: every plain
 * field the provider put on the credentials (regions, namespaces, …) over the summary, without
 * secrets, live handles (functions, class instances such as SDK clients) or cycles.
 */
export function accountDetails(account: AccountCredentials): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(account)) {
    if (HIDDEN_FIELD.test(key)) continue;
    const plain = toPlain(value, new WeakSet());
    if (plain !== undefined) details[key] = plain;
  }
  return { ...details, ...accountSummary(account) };
}

function toPlain(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return undefined; // functions, symbols, bigint, undefined
  if (seen.has(value)) return undefined;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toPlain(item, seen) ?? null);
    if (value instanceof Date) return value.toISOString();
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return undefined; // an SDK client or other live object
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (HIDDEN_FIELD.test(key)) continue;
      const plain = toPlain(item, seen);
      if (plain !== undefined) result[key] = plain;
    }
    return result;
  } finally {
    seen.delete(value);
  }
}
