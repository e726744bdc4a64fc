import type { ProviderRoute, RouteCaller } from '@stratus/plugin-api';

/** Keeps the entries of the accounts the caller may read (an entry that names no account stays). */
export function readableEntries(caller: RouteCaller, items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return items.filter((item) => typeof item.account !== 'string' || caller.canReadAccount(item.account));
}

/**
 * `GET path`: what `list` answers, kept to the accounts the caller may read (the cloud-specific data
 * endpoints Clouddriver filters by the account READ permission: networks, subnets, key pairs …).
 */
export function readableListRoute(path: string, summary: string, list: () => Promise<readonly Record<string, unknown>[]>): ProviderRoute {
  return { method: 'get', path, summary, handle: async ({ caller }) => ({ body: readableEntries(caller, await list()) }) };
}
