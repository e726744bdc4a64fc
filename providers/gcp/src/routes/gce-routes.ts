import type { ProviderRoute } from '@stratus/plugin-api';
import { queryText, readableEntries, readableListRoute } from '@stratus/provider-kit';
import type { GceLookups } from './gce-lookups.js';

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
      handle: async ({ query, caller }) => ({
        body: readableEntries(caller, await lookups.findImages({ q: queryText(query.q), account: queryText(query.account) })),
      }),
    },
    readableListRoute('/networks/gce', 'GCE VPC networks', () => lookups.networks()),
    readableListRoute('/subnets/gce', 'GCE subnetworks', () => lookups.subnets()),
  ];
}
