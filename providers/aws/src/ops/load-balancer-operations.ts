import { DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  SetSecurityGroupsCommand,
  type LoadBalancer,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AtomicOperation, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { accountOperation } from '@stratus/provider-kit';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { deleteClassicLoadBalancer, upsertClassicLoadBalancer, validateClassicLoadBalancer } from './classic-load-balancer-operations.js';
import { resolveSecurityGroupIds, resolveSubnetIds } from './deploy-handler.js';
import { accountNameOf, regionsOf, str, validateAccount, validateRegion, validateRegions } from './description.js';

const PHASE_UPSERT = 'UPSERT_LOAD_BALANCER';
const PHASE_DELETE = 'DELETE_LOAD_BALANCER';
const LB_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

interface TargetGroupSpec {
  name: string;
  protocol: string;
  port: number;
  targetType?: string;
  healthCheckProtocol?: string;
  healthCheckPort?: string;
  healthCheckPath?: string;
}
interface ListenerSpec {
  protocol: string;
  port: number;
  defaultActions: { type?: string; targetGroupName: string }[];
}

/**
 * Whether the description is for a classic load balancer: `loadBalancerType` `classic`, or none at
 * all (Clouddriver's default) unless it carries `targetGroups`, which only ALBs and NLBs have
 * (such a description would fail as a classic one; Stratus has always made it an ALB).
 */
const isClassic = (d: UpsertLoadBalancerDescription) =>
  d.loadBalancerType === 'classic' ||
  ((d.loadBalancerType === undefined || d.loadBalancerType === null) && !(Array.isArray(d.targetGroups) && d.targetGroups.length > 0));

/** Clouddriver's `UpsertAmazonLoadBalancerV2Description` (application and network load balancers) and the classic fields. */
export interface UpsertLoadBalancerDescription {
  readonly credentials?: string | undefined;
  readonly regions: string[];
  readonly name?: unknown;
  readonly loadBalancerType?: unknown;
  readonly isInternal?: unknown;
  readonly vpcId?: unknown;
  readonly subnetIds?: unknown;
  readonly subnetType?: unknown;
  readonly availabilityZones?: unknown;
  readonly securityGroups?: unknown;
  readonly targetGroups?: unknown;
  readonly listeners?: unknown;
  readonly healthCheck?: unknown;
  readonly healthInterval?: unknown;
  readonly healthTimeout?: unknown;
  readonly unhealthyThreshold?: unknown;
  readonly healthyThreshold?: unknown;
  readonly crossZoneBalancing?: unknown;
  readonly connectionDraining?: unknown;
  readonly deregistrationDelay?: unknown;
  readonly idleTimeout?: unknown;
}

function validateTargetGroups(errors: ValidationErrors, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return errors.reject('targetGroups', 'invalid', 'targetGroups must be a list');
  value.forEach((raw, i) => {
    const tg = (raw ?? {}) as Record<string, unknown>;
    if (typeof tg.name !== 'string' || !LB_NAME.test(tg.name))
      errors.reject(`targetGroups[${i}].name`, 'invalid', 'target group names are 1-32 letters, digits and dashes');
    if (typeof tg.protocol !== 'string') errors.reject(`targetGroups[${i}].protocol`, 'empty', 'protocol is required (HTTP, HTTPS, TCP, …)');
    if (typeof tg.port !== 'number' || tg.port < 1 || tg.port > 65535) errors.reject(`targetGroups[${i}].port`, 'invalid', 'port must be 1-65535');
  });
}

function validateListeners(errors: ValidationErrors, value: unknown, targetGroups: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return errors.reject('listeners', 'invalid', 'listeners must be a list');
  const tgNames = new Set(Array.isArray(targetGroups) ? targetGroups.map((t) => (t as Record<string, unknown>)?.name) : []);
  value.forEach((raw, i) => {
    const l = (raw ?? {}) as Record<string, unknown>;
    if (typeof l.protocol !== 'string') errors.reject(`listeners[${i}].protocol`, 'empty', 'protocol is required');
    if (typeof l.port !== 'number' || l.port < 1 || l.port > 65535) errors.reject(`listeners[${i}].port`, 'invalid', 'port must be 1-65535');
    if (!Array.isArray(l.defaultActions) || l.defaultActions.length === 0)
      errors.reject(`listeners[${i}].defaultActions`, 'empty', 'at least one default action is required');
    else
      l.defaultActions.forEach((a, j) => {
        const name = (a as Record<string, unknown>)?.targetGroupName;
        if (typeof name !== 'string' || !tgNames.has(name))
          errors.reject(`listeners[${i}].defaultActions[${j}].targetGroupName`, 'invalid', 'must name a target group of this description');
      });
  });
}

async function findLoadBalancer(clients: AwsRegionClients, name: string): Promise<LoadBalancer | undefined> {
  try {
    const out = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return out.LoadBalancers?.[0];
  } catch (error) {
    if (
      (error as { name?: string }).name === 'LoadBalancerNotFoundException' ||
      /not.?found|One or more load balancers not found/i.test((error as Error).message)
    )
      return undefined;
    throw error;
  }
}

async function targetGroupsByName(clients: AwsRegionClients, names: readonly string[]): Promise<Map<string, TargetGroup>> {
  const found = new Map<string, TargetGroup>();
  for (const name of names) {
    try {
      const out = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
      const tg = out.TargetGroups?.[0];
      if (tg) found.set(name, tg);
    } catch {
      // TargetGroupNotFound: it will be created
    }
  }
  return found;
}

/**
 * Creates or updates a classic load balancer (see classic-load-balancer-operations.ts) or an ALB/NLB: the load balancer (subnets from `subnetIds`, `subnetType` or the
 * VPC's subnets in the given zones), missing target groups, missing listeners, and security groups.
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export function upsertLoadBalancerOperation(deps: AwsOperationDeps): OperationDefinition<UpsertLoadBalancerDescription> {
  return {
    name: 'upsertLoadBalancer',
    converter: {
      convertDescription: (input) => ({ ...input, credentials: accountNameOf(input), regions: regionsOf(input).map(str) }),
      // eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          // No type means classic, as in Clouddriver's converter (Deck always names application and network).
          if (isClassic(d)) return upsertClassicLoadBalancer(deps, d, context);
          const account = deps.accounts.get(d.credentials!)!;
          const name = d.name as string;
          const type = ((d.loadBalancerType as string) ?? 'application') as 'application' | 'network';
          const dnsNames: Record<string, string> = {};
          for (const region of d.regions) {
            const clients = deps.clients.forRegion(account, region);
            await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of ${type} load balancer ${name} in ${account.name}/${region}`);
            const zones = ((d.availabilityZones as Record<string, string[]> | undefined)?.[region] ?? []) as string[];
            const vpcId =
              typeof d.vpcId === 'string'
                ? d.vpcId
                : (await clients.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs?.[0]?.VpcId;
            const securityGroups = Array.isArray(d.securityGroups) ? await resolveSecurityGroupIds(clients, d.securityGroups as string[], vpcId) : [];
            let lb = await findLoadBalancer(clients, name);
            if (!lb) {
              const subnets = Array.isArray(d.subnetIds)
                ? (d.subnetIds as string[])
                : typeof d.subnetType === 'string'
                  ? await resolveSubnetIds(clients, d.subnetType, zones)
                  : await vpcSubnets(clients, vpcId, zones);
              await context.task.updateStatus(PHASE_UPSERT, `Creating load balancer ${name} in subnets ${subnets.join(', ')}`);
              const out = await clients.elbv2.send(
                new CreateLoadBalancerCommand({
                  Name: name,
                  Type: type,
                  Scheme: d.isInternal === true ? 'internal' : 'internet-facing',
                  Subnets: subnets,
                  ...(type === 'application' && securityGroups.length > 0 ? { SecurityGroups: securityGroups } : {}),
                }),
              );
              lb = out.LoadBalancers?.[0];
              if (!lb) throw new Error(`Creating load balancer ${name} returned nothing`);
            } else if (type === 'application' && securityGroups.length > 0) {
              await context.task.updateStatus(PHASE_UPSERT, `Updating security groups of ${name}`);
              await clients.elbv2.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: securityGroups }));
            }
            const tgSpecs = (d.targetGroups as TargetGroupSpec[]) ?? [];
            const existingTgs = await targetGroupsByName(
              clients,
              tgSpecs.map((t) => t.name),
            );
            for (const spec of tgSpecs) {
              if (existingTgs.has(spec.name)) continue;
              await context.task.updateStatus(PHASE_UPSERT, `Creating target group ${spec.name} (${spec.protocol}:${spec.port})`);
              const out = await clients.elbv2.send(
                new CreateTargetGroupCommand({
                  Name: spec.name,
                  Protocol: spec.protocol as never,
                  Port: spec.port,
                  VpcId: lb.VpcId ?? vpcId,
                  TargetType: (spec.targetType ?? 'instance') as never,
                  ...(spec.healthCheckProtocol ? { HealthCheckProtocol: spec.healthCheckProtocol as never } : {}),
                  ...(spec.healthCheckPort ? { HealthCheckPort: String(spec.healthCheckPort) } : {}),
                  ...(spec.healthCheckPath ? { HealthCheckPath: spec.healthCheckPath } : {}),
                }),
              );
              if (out.TargetGroups?.[0]) existingTgs.set(spec.name, out.TargetGroups[0]);
            }
            const listeners = (await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
            for (const spec of (d.listeners as ListenerSpec[]) ?? []) {
              if (listeners.some((l) => l.Port === spec.port)) continue;
              await context.task.updateStatus(PHASE_UPSERT, `Creating listener ${spec.protocol}:${spec.port}`);
              await clients.elbv2.send(
                new CreateListenerCommand({
                  LoadBalancerArn: lb.LoadBalancerArn,
                  Protocol: spec.protocol as never,
                  Port: spec.port,
                  DefaultActions: spec.defaultActions.map((a) => ({ Type: 'forward', TargetGroupArn: existingTgs.get(a.targetGroupName)?.TargetGroupArn })),
                }),
              );
            }
            await deps.refresher.agent(account.name, region, 'AmazonApplicationLoadBalancerCachingAgent');
            dnsNames[region] = lb.DNSName ?? '';
            await context.task.updateStatus(PHASE_UPSERT, `Load balancer ${name} is up to date in ${region} (${lb.DNSName})`);
          }
          return { loadBalancers: Object.fromEntries(Object.entries(dnsNames).map(([region, dnsName]) => [region, { name, dnsName }])) };
        },
      }),
    },
    validator: {
      validate(d, errors) {
        const account = validateAccount(errors, deps.accounts, d.credentials);
        if (typeof d.name !== 'string' || !LB_NAME.test(d.name))
          errors.reject('name', d.name ? 'invalid' : 'empty', 'name is required: 1-32 letters, digits and dashes');
        if (d.loadBalancerType !== undefined && d.loadBalancerType !== null && !['application', 'network', 'classic'].includes(d.loadBalancerType as string)) {
          errors.reject('loadBalancerType', 'invalid', "loadBalancerType must be 'classic', 'application' or 'network'");
        }
        if (d.regions.length === 0) errors.reject('regions', 'empty', 'region, regions or availabilityZones is required');
        d.regions.forEach((r, i) => validateRegion(errors, account, r, d.regions.length > 1 ? `regions[${i}]` : 'region'));
        if (d.subnetIds !== undefined && (!Array.isArray(d.subnetIds) || d.subnetIds.some((s) => typeof s !== 'string')))
          errors.reject('subnetIds', 'invalid', 'subnetIds must be a list of subnet ids');
        if (isClassic(d)) {
          validateClassicLoadBalancer(d, errors);
        } else {
          validateTargetGroups(errors, d.targetGroups);
          validateListeners(errors, d.listeners, d.targetGroups);
        }
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (typeof d.name === 'string' ? [d.name.split('-')[0]!] : []),
  };
}

async function vpcSubnets(clients: AwsRegionClients, vpcId: string | undefined, zones: readonly string[]): Promise<string[]> {
  const out = await clients.ec2.send(new DescribeSubnetsCommand({ Filters: vpcId ? [{ Name: 'vpc-id', Values: [vpcId] }] : [] }));
  const subnets = (out.Subnets ?? []).filter((s) => zones.length === 0 || zones.includes(s.AvailabilityZone ?? ''));
  // One subnet per zone: a load balancer takes at most one per zone.
  const byZone = new Map<string, string>();
  for (const s of subnets) if (s.AvailabilityZone && !byZone.has(s.AvailabilityZone)) byZone.set(s.AvailabilityZone, s.SubnetId!);
  const chosen = [...byZone.values()];
  if (chosen.length === 0) throw new Error(`No subnets found${vpcId ? ` in ${vpcId}` : ''}${zones.length ? ` in ${zones.join(', ')}` : ''}`);
  return zones.length === 0 ? chosen.slice(0, 2) : chosen;
}

export interface DeleteLoadBalancerDescription {
  readonly credentials?: string | undefined;
  readonly regions: string[];
  readonly loadBalancerName: string;
}

/** Deletes the load balancer (its listeners go with it) and then the target groups it used. */
export function deleteLoadBalancerOperation(deps: AwsOperationDeps): OperationDefinition<DeleteLoadBalancerDescription> {
  return accountOperation({
    name: 'deleteLoadBalancer',
    accounts: deps.accounts,
    convert: (input) => ({
      regions: regionsOf(input).map(str),
      loadBalancerName: str(input.loadBalancerName ?? input.name),
    }),
    async operate(d, account, context) {
      for (const region of d.regions) {
        const clients = deps.clients.forRegion(account, region);
        await context.task.updateStatus(PHASE_DELETE, `Initializing delete of load balancer ${d.loadBalancerName} in ${account.name}/${region}`);
        const lb = await findLoadBalancer(clients, d.loadBalancerName);
        if (!lb && (await deleteClassicLoadBalancer(deps, account, region, d.loadBalancerName, context))) continue;
        if (!lb) {
          await context.task.updateStatus(PHASE_DELETE, `Load balancer ${d.loadBalancerName} does not exist in ${region}; nothing to delete`);
          continue;
        }
        const tgs = (await clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups ?? [];
        await clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
        await context.task.updateStatus(PHASE_DELETE, `Deleted load balancer ${d.loadBalancerName}`);
        for (const tg of tgs) {
          try {
            await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
            await context.task.updateStatus(PHASE_DELETE, `Deleted target group ${tg.TargetGroupName}`);
          } catch (error) {
            await context.task.updateStatus(PHASE_DELETE, `Kept target group ${tg.TargetGroupName}: ${(error as Error).message}`);
          }
        }
        await deps.refresher.agent(account.name, region, 'AmazonApplicationLoadBalancerCachingAgent', {
          [Types.loadBalancers]: [Keys.loadBalancer(account.name, region, d.loadBalancerName, lb.VpcId, lb.Type)],
          [Types.targetGroups]: tgs.map((tg) => Keys.targetGroup(account.name, region, tg.TargetGroupName!, tg.TargetType ?? 'instance', tg.VpcId)),
        });
      }
      return undefined;
    },
    validate(d, errors) {
      const account = validateAccount(errors, deps.accounts, d.credentials);
      if (!d.loadBalancerName) errors.reject('loadBalancerName', 'empty', 'loadBalancerName is required');
      validateRegions(errors, account, d.regions);
    },
  });
}
