import { z } from 'zod';

/**
 * Response schemas of the read API, for `/openapi.json`. Provider view objects carry Clouddriver's
 * fields plus provider-specific ones, so the schemas name the identity fields and let the rest through.
 */
export const monikerSchema = z
  .looseObject({
    app: z.string(),
    cluster: z.string().optional(),
    stack: z.string().optional(),
    detail: z.string().optional(),
    sequence: z.number().optional(),
  })
  .openapi('Moniker');

export const instanceSchema = z
  .looseObject({ name: z.string(), healthState: z.string(), cloudProvider: z.string(), zone: z.string().optional(), launchTime: z.number().optional() })
  .describe('Instance: name, humanReadableName, healthState, launchTime, zone, health[], cloudProvider, providerType, labels, provider fields')
  .openapi('Instance');

export const serverGroupSchema = z
  .looseObject({
    name: z.string(),
    type: z.string(),
    cloudProvider: z.string(),
    region: z.string(),
    disabled: z.boolean(),
    createdTime: z.number().optional(),
  })
  .describe(
    'ServerGroup: name, moniker, type, cloudProvider, region, disabled, createdTime, zones, instances[], loadBalancers, securityGroups, launchConfig, instanceType, tags, instanceCounts, capacity, labels, provider fields',
  )
  .openapi('ServerGroup');

export const serverGroupSummarySchema = z
  .looseObject({
    name: z.string(),
    account: z.string(),
    region: z.string(),
    cluster: z.string(),
    type: z.string(),
    cloudProvider: z.string(),
    application: z.string(),
    isDisabled: z.boolean(),
  })
  .describe('Summary (default) or, with expand=true, the full ServerGroup plus accountName, account, cluster, application, stack, freeFormDetail')
  .openapi('ServerGroupListEntry');

export const loadBalancerSchema = z
  .looseObject({ name: z.string(), type: z.string(), cloudProvider: z.string(), account: z.string(), region: z.string().optional() })
  .describe(
    'LoadBalancer: name, type, cloudProvider, account, moniker, serverGroups[{name, account, region, isDisabled, instances, detachedInstances, cloudProvider}], labels, provider fields',
  )
  .openapi('LoadBalancer');

export const clusterSchema = z
  .looseObject({ name: z.string(), type: z.string(), accountName: z.string() })
  .describe('Cluster: name, type, accountName, moniker, serverGroups[ServerGroup], loadBalancers[LoadBalancer]')
  .openapi('Cluster');

export const securityGroupSchema = z
  .looseObject({ type: z.string(), cloudProvider: z.string(), id: z.string(), name: z.string(), accountName: z.string(), region: z.string() })
  .describe('SecurityGroup: type, cloudProvider, id, name, moniker, application, accountName, region, inboundRules, outboundRules, provider fields')
  .openapi('SecurityGroup');

export const securityGroupSummarySchema = z.looseObject({ name: z.string(), id: z.string() }).openapi('SecurityGroupSummary');

export const loadBalancerItemSchema = z
  .object({
    name: z.string(),
    accounts: z.array(
      z.object({
        name: z.string(),
        regions: z.array(z.object({ name: z.string(), loadBalancers: z.array(z.record(z.string(), z.unknown())) })),
      }),
    ),
  })
  .openapi('LoadBalancerItem');
