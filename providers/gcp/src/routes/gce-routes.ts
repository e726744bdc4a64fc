import type { ProviderRoute, RouteCaller } from '@stratus/plugin-api';
import type { GceLookups } from './gce-lookups.js';

/** Keeps only the entries of accounts the caller may read. */
function readable(caller: RouteCaller, items: Record<string, unknown>[]): Record<string, unknown>[] {
  return items.filter((item) => typeof item.account !== 'string' || caller.canReadAccount(item.account));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The GCE endpoints the generic read API has no model for (Clouddriver's
 * GoogleNamedImageLookupController, NetworkController, SubnetController), served through the
 * provider route hook (SPI 1.1) and filtered by the caller's account READ permission.
 */
export function gceRoutes(lookups: GceLookups): ProviderRoute[] {
  return [
    {
      method: 'get',
      path: '/gce/images/find',
      summary: 'GCE images whose name contains q',
      handle: async ({ query, caller }) => ({ body: readable(caller, await lookups.findImages({ q: text(query.q), account: text(query.account) })) }),
    },
    {
      method: 'get',
      path: '/networks/gce',
      summary: 'GCE VPC networks',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.networks()) }),
    },
    {
      method: 'get',
      path: '/subnets/gce',
      summary: 'GCE subnetworks',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.subnets()) }),
    },
  ];
}
