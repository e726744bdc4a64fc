import { RouteError, type ProviderRoute, type RouteCaller } from '@stratus/plugin-api';
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
      path: '/aws/cloudFormation/stacks',
      summary: 'Cached CloudFormation stacks of an account (accountName required), optionally of one region',
      async handle({ query, caller }) {
        const account = text(query.accountName);
        if (!account) throw new RouteError(400, 'accountName is required');
        if (!caller.canReadAccount(account)) return { body: [] };
        return { body: await lookups.stacks({ account, ...(text(query.region) ? { region: text(query.region)! } : {}) }) };
      },
    },
    // Orca asks for `/aws/cloudFormation/stacks/{stackId}` with the stack ARN unencoded
    // (`arn:aws:cloudformation:<region>:<id>:stack/<name>/<uuid>`): its slashes make three segments.
    ...['/aws/cloudFormation/stacks/{arn}/{name}/{uuid}', '/aws/cloudFormation/stacks/{arn}'].map(
      (path): ProviderRoute => ({
        method: 'get',
        path,
        summary: 'One cached CloudFormation stack by its id (the stack ARN), with its change sets',
        async handle({ params, caller }) {
          const stackId = [params.arn, params.name, params.uuid].filter(Boolean).join('/');
          const stack = await lookups.stack(stackId);
          if (!stack || typeof stack.accountName !== 'string' || !caller.canReadAccount(stack.accountName)) throw new RouteError(404, `CloudFormation stack ${stackId} not found`);
          return { body: stack };
        },
      }),
    ),
    {
      method: 'get',
      path: '/keyPairs',
      summary: 'AWS key pairs',
      handle: async ({ caller }) => ({ body: readable(caller, await lookups.keyPairs()) }),
    },
  ];
}
