import { RouteError, type ProviderRoute } from '@stratus/plugin-api';
import { queryText, readableListRoute } from '@stratus/provider-kit';
import { paginateDescribeScalingActivities, type Activity } from '@aws-sdk/client-auto-scaling';
import { GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import type { AwsAccountRegistry } from '../accounts/aws-account-registry.js';
import type { AwsClientFactory } from '../accounts/aws-clients.js';
import { toPlain } from '../plain.js';
import { filterByTags, type AwsLookups } from './aws-lookups.js';

/** Clouddriver's AmazonClusterController stops at this many scaling activities. */
const MAX_SCALING_ACTIVITIES = 500;

/** What the routes that ask AWS directly (no cache holds it) need. */
export interface AwsLiveAccess {
  readonly accounts: AwsAccountRegistry;
  readonly clients: AwsClientFactory;
}

/**
 * The AWS endpoints the generic read API has no model for (Clouddriver's
 * AmazonNamedImageLookupController, NetworkController, SubnetController, KeyPairController), served
 * through the provider route hook and filtered by the caller's account READ permission.
 */
// eslint-disable-next-line max-lines-per-function -- one route per Clouddriver AWS data endpoint: the list is the API surface
export function awsRoutes(lookups: AwsLookups, live?: AwsLiveAccess): ProviderRoute[] {
  return [
    {
      method: 'get',
      path: '/aws/images/{account}/{region}/{imageId}',
      summary: "One cached AWS image by id, in the /aws/images/find shape (Gate's image details)",
      async handle({ params, caller }) {
        if (!caller.canReadAccount(params.account!)) throw new RouteError(404, `Image ${params.imageId} not found`);
        const found = (await lookups.findImages({ q: params.imageId!, account: params.account!, region: params.region! })).filter((i) =>
          Object.values(i.amis as Record<string, string[]>).some((ids) => ids.includes(params.imageId!)),
        );
        if (found.length === 0) throw new RouteError(404, `Image ${params.imageId} not found in ${params.account}/${params.region}`);
        return { body: found };
      },
    },
    ...(live
      ? [
          {
            method: 'get',
            path: '/aws/instances/{account}/{region}/{instanceId}/console',
            summary: "An EC2 instance's console output (live GetConsoleOutput; served as GET /instances/{account}/{region}/{id}/console)",
            async handle({ params, caller }) {
              const account = live.accounts.get(params.account!);
              if (!account || !caller.canReadAccount(account.name) || !account.regions.some((r) => r.name === params.region))
                throw new RouteError(404, `Instance not found (id: ${params.instanceId})`);
              if (!/^i-[0-9a-f]+$/.test(params.instanceId!)) throw new RouteError(404, `Instance not found (id: ${params.instanceId})`);
              try {
                const out = await live.clients.forRegion(account, params.region!).ec2.send(new GetConsoleOutputCommand({ InstanceId: params.instanceId! }));
                return { body: { output: out.Output ? Buffer.from(out.Output, 'base64').toString('utf8') : '' } };
              } catch (error) {
                if (/InvalidInstanceID/.test((error as { name?: string }).name ?? ''))
                  throw new RouteError(404, `Instance not found (id: ${params.instanceId})`);
                throw error;
              }
            },
          } satisfies ProviderRoute,
          {
            method: 'get',
            path: '/applications/{application}/clusters/{account}/{cluster}/aws/serverGroups/{serverGroupName}/scalingActivities',
            summary: 'The latest scaling activities of an ASG (live DescribeScalingActivities, at most 500, as Clouddriver)',
            async handle({ params, query, caller }) {
              const region = queryText(query.region);
              if (!region) throw new RouteError(400, 'region is required');
              const account = live.accounts.get(params.account!);
              if (!account || !caller.canReadAccount(account.name))
                throw new RouteError(400, `bad credentials: '${params.account}' is not an AWS account you can read`);
              if (!account.regions.some((r) => r.name === region))
                throw new RouteError(400, `region '${region}' is not configured for account '${account.name}'`);
              const activities: Activity[] = [];
              const pages = paginateDescribeScalingActivities(
                { client: live.clients.forRegion(account, region).autoScaling },
                { AutoScalingGroupName: params.serverGroupName! },
              );
              for await (const page of pages) {
                activities.push(...(page.Activities ?? []));
                if (activities.length >= MAX_SCALING_ACTIVITIES) break;
              }
              return { body: toPlain(activities) };
            },
          } satisfies ProviderRoute,
        ]
      : []),
    {
      method: 'get',
      path: '/aws/images/find',
      summary: 'AWS named images whose name contains q (or whose id is q)',
      async handle({ query, caller }) {
        const tagFilters = Object.fromEntries(
          Object.entries(query)
            .filter(([k, v]) => k.startsWith('tag:') && typeof v === 'string')
            .map(([k, v]) => [k.slice(4), v as string]),
        );
        const images = filterByTags(
          await lookups.findImages({ q: queryText(query.q), account: queryText(query.account), region: queryText(query.region) }),
          tagFilters,
        );
        const visible = images
          .map((image) => ({ ...image, accounts: (image.accounts as string[]).filter((account) => caller.canReadAccount(account)) }))
          .filter((image) => image.accounts.length > 0);
        return { body: visible };
      },
    },
    readableListRoute('/networks/aws', 'AWS VPCs', () => lookups.networks()),
    readableListRoute('/vpcs', "AWS VPCs (Clouddriver's deprecated VpcController, still read by Orca before every security group upsert)", () =>
      lookups.networks(),
    ),
    readableListRoute('/instanceTypes/aws', 'AWS instance types per account and region (merged into GET /instanceTypes)', () => lookups.instanceTypes()),
    readableListRoute('/subnets/aws', 'AWS subnets', () => lookups.subnets()),
    {
      method: 'get',
      path: '/aws/cloudFormation/stacks',
      summary: 'Cached CloudFormation stacks of an account (accountName required), optionally of one region',
      async handle({ query, caller }) {
        const account = queryText(query.accountName);
        if (!account) throw new RouteError(400, 'accountName is required');
        if (!caller.canReadAccount(account)) return { body: [] };
        return { body: await lookups.stacks({ account, ...(queryText(query.region) ? { region: queryText(query.region)! } : {}) }) };
      },
    },
    // Orca asks for `/aws/cloudFormation/stacks/{stackId}` with the stack ARN unencoded
    // (`arn:aws:cloudformation:<region>:<id>:stack/<name>/<uuid>`): its slashes make three segments.
    ...['/aws/cloudFormation/stacks/{arn}/{name}/{uuid}', '/aws/cloudFormation/stacks/{arn}'].map((path): ProviderRoute => ({
      method: 'get',
      path,
      summary: 'One cached CloudFormation stack by its id (the stack ARN), with its change sets',
      async handle({ params, caller }) {
        const stackId = [params.arn, params.name, params.uuid].filter(Boolean).join('/');
        const stack = await lookups.stack(stackId);
        if (!stack || typeof stack.accountName !== 'string' || !caller.canReadAccount(stack.accountName))
          throw new RouteError(404, `CloudFormation stack ${stackId} not found`);
        return { body: stack };
      },
    })),
    readableListRoute('/keyPairs', 'AWS key pairs', () => lookups.keyPairs()),
  ];
}
