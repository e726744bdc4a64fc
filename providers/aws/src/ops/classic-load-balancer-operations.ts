import {
  ApplySecurityGroupsToLoadBalancerCommand,
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  CreateLoadBalancerListenersCommand,
  DeleteLoadBalancerCommand,
  DeleteLoadBalancerListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
  type Listener,
  type LoadBalancerAttributes,
  type LoadBalancerDescription,
} from '@aws-sdk/client-elastic-load-balancing';
import type { OperationContext, ValidationErrors } from '@stratus/plugin-api';
import type { AwsAccount } from '../accounts/aws-account.js';
import type { AwsRegionClients } from '../accounts/aws-clients.js';
import { Keys, Types } from '../keys.js';
import type { AwsOperationDeps } from './aws-operation-deps.js';
import { resolveSecurityGroupIds, resolveSubnetIds } from './deploy-handler.js';

/** Clouddriver's history phase for classic load balancers. */
const PHASE = 'UPSERT_ELB';
const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'SSL'];
const AGENT = 'AmazonLoadBalancerCachingAgent';

/** One listener of Clouddriver's `UpsertAmazonLoadBalancerClassicDescription`. */
interface ClassicListener {
  externalProtocol: string;
  externalPort: number;
  internalProtocol?: string;
  internalPort: number;
  sslCertificateId?: string;
}

/** The classic fields of an `upsertLoadBalancer` description (with `loadBalancerType: 'classic'` or none). */
export interface ClassicLoadBalancerInput {
  readonly credentials?: string | undefined;
  readonly regions: string[];
  readonly name?: unknown;
  readonly availabilityZones?: unknown;
  readonly listeners?: unknown;
  readonly healthCheck?: unknown;
  readonly healthInterval?: unknown;
  readonly healthTimeout?: unknown;
  readonly unhealthyThreshold?: unknown;
  readonly healthyThreshold?: unknown;
  readonly securityGroups?: unknown;
  readonly subnetType?: unknown;
  readonly isInternal?: unknown;
  readonly vpcId?: unknown;
  readonly crossZoneBalancing?: unknown;
  readonly connectionDraining?: unknown;
  readonly deregistrationDelay?: unknown;
  readonly idleTimeout?: unknown;
}

const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
const optInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** Field checks of Clouddriver's classic validator: listeners, the health check target, the thresholds. */
export function validateClassicLoadBalancer(d: ClassicLoadBalancerInput, errors: ValidationErrors): void {
  if (!Array.isArray(d.listeners) || d.listeners.length === 0) errors.reject('listeners', 'empty', 'a classic load balancer needs at least one listener');
  else
    d.listeners.forEach((raw, i) => {
      const l = (raw ?? {}) as Record<string, unknown>;
      if (!PROTOCOLS.includes(l.externalProtocol as string))
        errors.reject(`listeners[${i}].externalProtocol`, 'invalid', `externalProtocol must be one of ${PROTOCOLS.join(', ')}`);
      if (l.internalProtocol !== undefined && l.internalProtocol !== null && !PROTOCOLS.includes(l.internalProtocol as string)) {
        errors.reject(`listeners[${i}].internalProtocol`, 'invalid', `internalProtocol must be one of ${PROTOCOLS.join(', ')}`);
      }
      if (!isPort(l.externalPort)) errors.reject(`listeners[${i}].externalPort`, 'invalid', 'externalPort must be 1-65535');
      if (!isPort(l.internalPort)) errors.reject(`listeners[${i}].internalPort`, 'invalid', 'internalPort must be 1-65535');
    });
  if (d.healthCheck !== undefined && d.healthCheck !== null && (typeof d.healthCheck !== 'string' || !/^(HTTP|HTTPS|TCP|SSL):\d+/.test(d.healthCheck))) {
    errors.reject('healthCheck', 'invalid', "healthCheck must be a target such as 'HTTP:7001/health' or 'TCP:7001'");
  }
  for (const field of ['healthInterval', 'healthTimeout', 'unhealthyThreshold', 'healthyThreshold', 'deregistrationDelay', 'idleTimeout'] as const) {
    const v = d[field];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 1))
      errors.reject(field, 'invalid', `${field} must be a positive integer`);
  }
}

/** AWS listeners for the description (the instance protocol defaults to the external one, as Clouddriver's). */
function listenersOf(d: ClassicLoadBalancerInput): Listener[] {
  return ((d.listeners as ClassicListener[]) ?? []).map((l) => ({
    Protocol: l.externalProtocol,
    LoadBalancerPort: l.externalPort,
    InstanceProtocol: l.internalProtocol ?? l.externalProtocol,
    InstancePort: l.internalPort,
    ...(l.sslCertificateId ? { SSLCertificateId: l.sslCertificateId } : {}),
  }));
}

const sameListener = (a: Listener, b: Listener) =>
  a.LoadBalancerPort === b.LoadBalancerPort &&
  a.Protocol === b.Protocol &&
  a.InstancePort === b.InstancePort &&
  (a.InstanceProtocol ?? a.Protocol) === (b.InstanceProtocol ?? b.Protocol) &&
  (a.SSLCertificateId ?? '') === (b.SSLCertificateId ?? '');

export async function findClassicLoadBalancer(clients: AwsRegionClients, name: string): Promise<LoadBalancerDescription | undefined> {
  try {
    return (await clients.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] }))).LoadBalancerDescriptions?.[0];
  } catch (error) {
    if (/LoadBalancerNotFound|AccessPointNotFound|no(t)? ?found|Cannot find/i.test(`${(error as Error).name} ${(error as Error).message}`)) return undefined;
    throw error;
  }
}

/**
 * Creates or updates a classic load balancer in each region, as Clouddriver's
 * `UpsertAmazonLoadBalancerAtomicOperation`: listeners (on update, removed ones are deleted and new
 * ones added), security groups, the health check, and the cross-zone / connection-draining /
 * idle-timeout attributes. Result: `{loadBalancers: {region: {name, dnsName}}}`.
 */
export async function upsertClassicLoadBalancer(
  deps: AwsOperationDeps,
  d: ClassicLoadBalancerInput,
  context: OperationContext,
): Promise<Record<string, unknown>> {
  const account = deps.accounts.get(d.credentials!)!;
  const name = d.name as string;
  const result: Record<string, { name: string; dnsName: string }> = {};
  await context.task.updateStatus(PHASE, 'Initializing load balancer creation...');
  for (const region of d.regions) {
    const clients = deps.clients.forRegion(account, region);
    const zones = ((d.availabilityZones as Record<string, string[]> | undefined)?.[region] ?? []) as string[];
    await context.task.updateStatus(PHASE, `Beginning deployment to ${region} in ${zones.join(', ') || 'its zones'} for ${name}`);
    const listeners = listenersOf(d);
    const existing = await findClassicLoadBalancer(clients, name);
    const vpcId = typeof d.vpcId === 'string' ? d.vpcId : existing?.VPCId;
    const securityGroups = Array.isArray(d.securityGroups) ? await resolveSecurityGroupIds(clients, d.securityGroups as string[], vpcId) : [];
    let dnsName: string;
    if (!existing) {
      dnsName = await createClassic(clients, account, region, name, d, zones, listeners, securityGroups, context);
    } else {
      await context.task.updateStatus(PHASE, `Found existing load balancer named ${name} in ${region}... Using that.`);
      dnsName = existing.DNSName ?? '';
      await updateClassic(clients, existing, listeners, securityGroups, context);
    }
    if (typeof d.healthCheck === 'string') {
      await context.task.updateStatus(PHASE, `Configuring healthcheck for ${name} in ${region}...`);
      await clients.elb.send(
        new ConfigureHealthCheckCommand({
          LoadBalancerName: name,
          HealthCheck: {
            Target: d.healthCheck,
            Interval: optInt(d.healthInterval) ?? 10,
            Timeout: optInt(d.healthTimeout) ?? 5,
            UnhealthyThreshold: optInt(d.unhealthyThreshold) ?? 2,
            HealthyThreshold: optInt(d.healthyThreshold) ?? 10,
          },
        }),
      );
      await context.task.updateStatus(PHASE, 'Healthcheck configured.');
    }
    await applyAttributes(clients, name, d, existing !== undefined);
    await deps.refresher.agent(account.name, region, AGENT);
    result[region] = { name, dnsName };
    await context.task.updateStatus(PHASE, `Done deploying ${name} to ${region} (${dnsName})`);
  }
  return { loadBalancers: result };
}

async function createClassic(
  clients: AwsRegionClients,
  account: AwsAccount,
  region: string,
  name: string,
  d: ClassicLoadBalancerInput,
  zones: string[],
  listeners: Listener[],
  securityGroups: string[],
  context: OperationContext,
): Promise<string> {
  await context.task.updateStatus(PHASE, `Creating ${name} in ${account.name}:${region}...`);
  const subnets = typeof d.subnetType === 'string' && d.subnetType !== '' ? await resolveSubnetIds(clients, d.subnetType, zones) : [];
  // Clouddriver's backwards-compatible rule: internal when asked, or when the subnet purpose says so.
  const internal = typeof d.isInternal === 'boolean' ? d.isInternal : typeof d.subnetType === 'string' && d.subnetType.includes('internal');
  const zoneList = zones.length > 0 ? zones : [...(account.regions.find((r) => r.name === region)?.availabilityZones ?? [])];
  const out = await clients.elb.send(
    new CreateLoadBalancerCommand({
      LoadBalancerName: name,
      Listeners: listeners,
      ...(subnets.length > 0 ? { Subnets: subnets } : { AvailabilityZones: zoneList.length > 0 ? zoneList : [`${region}a`] }),
      ...(securityGroups.length > 0 ? { SecurityGroups: securityGroups } : {}),
      ...(internal ? { Scheme: 'internal' } : {}),
    }),
  );
  return out.DNSName ?? '';
}

/** Clouddriver's `LoadBalancerUpsertHandler.updateLoadBalancer`: security groups, then listeners. */
async function updateClassic(
  clients: AwsRegionClients,
  lb: LoadBalancerDescription,
  wanted: Listener[],
  securityGroups: string[],
  context: OperationContext,
): Promise<void> {
  const name = lb.LoadBalancerName!;
  if (lb.VPCId && securityGroups.length === 0 && (lb.SecurityGroups ?? []).length === 0)
    throw new Error(`Load balancer ${name} must have at least one security group`);
  if (securityGroups.length > 0) {
    await clients.elb.send(new ApplySecurityGroupsToLoadBalancerCommand({ LoadBalancerName: name, SecurityGroups: securityGroups }));
    await context.task.updateStatus(PHASE, `Security groups updated on ${name}.`);
  }
  if (wanted.length === 0) return;
  const current = (lb.ListenerDescriptions ?? []).map((l) => l.Listener!).filter((l) => l && l.LoadBalancerPort !== 0);
  const remove = current.filter((c) => !wanted.some((w) => sameListener(c, w)));
  const add = wanted.filter((w) => !current.some((c) => sameListener(c, w)));
  if (remove.length > 0) {
    await clients.elb.send(new DeleteLoadBalancerListenersCommand({ LoadBalancerName: name, LoadBalancerPorts: remove.map((l) => l.LoadBalancerPort!) }));
    for (const l of remove) await context.task.updateStatus(PHASE, `Listener removed from ${name} (${l.LoadBalancerPort}:${l.Protocol}:${l.InstancePort}).`);
  }
  if (add.length > 0) {
    await clients.elb.send(new CreateLoadBalancerListenersCommand({ LoadBalancerName: name, Listeners: add }));
    for (const l of add) await context.task.updateStatus(PHASE, `Listener added to ${name} (${l.LoadBalancerPort}:${l.Protocol}:${l.InstancePort}).`);
  }
}

/**
 * Cross-zone balancing (default on), connection draining (default off) and the idle timeout: on
 * create as given or defaulted; on update only what the description sets and differs.
 */
async function applyAttributes(clients: AwsRegionClients, name: string, d: ClassicLoadBalancerInput, existed: boolean): Promise<void> {
  const crossZone = typeof d.crossZoneBalancing === 'boolean' ? d.crossZoneBalancing : undefined;
  const draining = typeof d.connectionDraining === 'boolean' ? d.connectionDraining : undefined;
  const delay = optInt(d.deregistrationDelay);
  const idle = optInt(d.idleTimeout);
  const attributes: LoadBalancerAttributes = {};
  if (!existed) {
    attributes.CrossZoneLoadBalancing = { Enabled: crossZone ?? true };
    attributes.ConnectionDraining = { Enabled: draining ?? false, ...(delay !== undefined ? { Timeout: delay } : {}) };
    if (idle !== undefined) attributes.ConnectionSettings = { IdleTimeout: idle };
  } else {
    const current = (await clients.elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }))).LoadBalancerAttributes;
    if (crossZone !== undefined && crossZone !== current?.CrossZoneLoadBalancing?.Enabled) attributes.CrossZoneLoadBalancing = { Enabled: crossZone };
    const enabled = draining ?? current?.ConnectionDraining?.Enabled ?? false;
    const timeout = delay ?? current?.ConnectionDraining?.Timeout;
    if (enabled !== current?.ConnectionDraining?.Enabled || timeout !== current?.ConnectionDraining?.Timeout) {
      attributes.ConnectionDraining = { Enabled: enabled, ...(timeout !== undefined ? { Timeout: timeout } : {}) };
    }
    if (idle !== undefined && idle !== current?.ConnectionSettings?.IdleTimeout) attributes.ConnectionSettings = { IdleTimeout: idle };
  }
  if (Object.keys(attributes).length > 0)
    await clients.elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerName: name, LoadBalancerAttributes: attributes }));
}

/** Deletes a classic load balancer and evicts it from the cache; false when there is none. */
export async function deleteClassicLoadBalancer(
  deps: AwsOperationDeps,
  account: AwsAccount,
  region: string,
  name: string,
  context: OperationContext,
): Promise<boolean> {
  const clients = deps.clients.forRegion(account, region);
  const lb = await findClassicLoadBalancer(clients, name);
  if (!lb) return false;
  await clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: name }));
  await context.task.updateStatus('DELETE_LOAD_BALANCER', `Deleted classic load balancer ${name}`);
  await deps.refresher.agent(account.name, region, AGENT, { [Types.loadBalancers]: [Keys.loadBalancer(account.name, region, name, lb.VPCId)] });
  return true;
}
