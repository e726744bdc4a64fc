import type { ProviderRoute, RouteCaller } from '@stratus/plugin-api';
import type { AwsLookups } from './aws-lookups.js';

/** Keeps only the entries of accounts the caller may read. */
function readable(caller: RouteCaller, items: Record<string, unknown>[]): Record<string, unknown>[] {
  return items.filter((item) => typeof item.account !== 'string' || caller.canReadAccount(item.account));
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * The AWS endpoints the generic read API has no model for (Clouddriver's
 * AmazonNamedImageLookupController, NetworkController, SubnetController, KeyPairController), served
 * through the provider route hook and filtered by the caller's account READ permission.
 */
export function awsRoutes(lookups: AwsLookups): ProviderRoute[] {
  return [
    {
      method: 'get',
      path: '/aws/images/find',
      summary: 'AWS named images whose name contains q (or whose id is q)',
      async handle({ query, caller }) {
        const images = await lookups.findImages({ q: text(query.q), account: text(query.account), region: text(query.region) });
        const visible = images
          .map((image) => ({ ...image, accounts: (image.accounts as string[]).filter((account) => caller.canReadAccount(account)) }))
          .filter((image) => image.accounts.length > 0);
        return { body: visible };
      },
    },
    {
      method: 'get',
      path: '/networks/aws',
      summary: 'AWS VPCs',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.networks()) }),
    },
    {
      method: 'get',
      path: '/vpcs',
      summary: 'AWS VPCs (Clouddriver\'s deprecated VpcController, still read by Orca before every security group upsert)',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.networks()) }),
    },
    {
      method: 'get',
      path: '/instanceTypes/aws',
      summary: 'AWS instance types per account and region (merged into GET /instanceTypes)',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.instanceTypes()) }),
    },
    {
      method: 'get',
      path: '/subnets/aws',
      summary: 'AWS subnets',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.subnets()) }),
    },
    {
      method: 'get',
      path: '/keyPairs',
      summary: 'AWS key pairs',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.keyPairs()) }),
    },
  ];
}
