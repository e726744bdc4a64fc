import { accountOperation, loadBalancerDescriptionOf, validateRegionalName, type LoadBalancerDescription } from '@stratus/provider-kit';
import type { ApplicationGateway, LoadBalancer } from '@azure/arm-network';
import type { AtomicOperation, OperationDefinition, ValidationErrors } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import type { AzureAccountClients } from '../accounts/azure-clients.js';
import { azureCall } from '../azure-errors.js';
import { collect } from '../caching/azure-agent.js';
import { AZURE_APPLICATION_GATEWAY, AZURE_LOAD_BALANCER } from '../caching/load-balancer-caching-agent.js';
import { Keys, Types } from '../keys.js';
import { resourceGroupOf } from '../plain.js';
import type { AzureOperationDeps } from './azure-operation-deps.js';
import { isNonNegativeInt, optString, regionOf, str, validateName, validateResourceGroup, nameRules } from './description.js';
import { requireSubnetId } from './live-lookups.js';

const PHASE_UPSERT = 'UPSERT_LOAD_BALANCER';
const PHASE_DELETE = 'DELETE_LOAD_BALANCER';
/** The backend pool a new load balancer or gateway gets (deploys add their scale sets to it). */
export const DEFAULT_BACKEND_POOL = 'default_LB_BAP';

/** Clouddriver's `AzureLoadBalancerDescription` / `AzureAppGatewayDescription` (the fields we use). */
export interface UpsertLoadBalancerDescription extends LoadBalancerDescription {
  /** `Azure Load Balancer` (default) or `Azure Application Gateway`. */
  readonly loadBalancerType: string;
}

interface Probe {
  readonly probeName: string;
  readonly probeProtocol?: string;
  readonly probePort?: number;
  readonly probePath?: string;
  readonly probeInterval?: number;
  readonly unhealthyThreshold?: number;
  readonly timeout?: number;
}

interface Rule {
  readonly ruleName: string;
  readonly protocol?: string;
  readonly externalPort: number;
  readonly backendPort: number;
  readonly probeName?: string;
  readonly persistence?: string;
  readonly idleTimeout?: number;
}

const PERSISTENCE: Record<string, string> = { None: 'Default', 'Client IP': 'SourceIP', 'Client IP and protocol': 'SourceIPProtocol' };
const TYPES = [AZURE_LOAD_BALANCER, AZURE_APPLICATION_GATEWAY];
const inRegion = (resource: { location?: string }, region: string) => (resource.location ?? '').toLowerCase().replace(/\s/g, '') === region;
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
const isPort = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

function typeOf(input: Record<string, unknown>): string {
  const type = str(input.loadBalancerType);
  if (type === '' || /^(azure load balancer|loadbalancer)$/i.test(type)) return AZURE_LOAD_BALANCER;
  if (/^(azure application gateway|applicationgateway|appgateway)$/i.test(type)) return AZURE_APPLICATION_GATEWAY;
  return type;
}

async function findLive(
  clients: AzureAccountClients,
  region: string,
  name: string,
): Promise<{ loadBalancer: LoadBalancer | undefined; gateway: ApplicationGateway | undefined }> {
  const [lbs, gateways] = await azureCall('Listing load balancers and application gateways', () =>
    Promise.all([collect(clients.network.loadBalancers.listAll()), collect(clients.network.applicationGateways.listAll())]),
  );
  return { loadBalancer: lbs.find((l) => l.name === name && inRegion(l, region)), gateway: gateways.find((g) => g.name === name && inRegion(g, region)) };
}

/** The public IP `<name>-pip` the frontend uses (created or kept), returning its id. */
async function ensurePublicIp(clients: AzureAccountClients, resourceGroup: string, name: string, region: string, signal: AbortSignal): Promise<string> {
  const ip = await azureCall(`Creating public IP ${name}`, () =>
    clients.network.publicIPAddresses.beginCreateOrUpdateAndWait(
      resourceGroup,
      name,
      { location: region, sku: { name: 'Standard' }, publicIPAllocationMethod: 'Static', tags: { createdBy: 'stratus' } },
      { ...clients.pollOptions, abortSignal: signal },
    ),
  );
  return ip.id!;
}

/** The L4 load balancer body: one frontend, the kept (or default) backend pools, probes and rules. */
function loadBalancerBody(
  id: string,
  region: string,
  frontend: Record<string, unknown>,
  existing: LoadBalancer | undefined,
  probes: Probe[],
  rules: Rule[],
  tags: Record<string, string>,
): Record<string, unknown> {
  const pools: { name?: string | undefined }[] = (existing?.backendAddressPools ?? []).map((p) => ({ name: p.name }));
  if (pools.length === 0) pools.push({ name: DEFAULT_BACKEND_POOL });
  // A rule keeps the pool it sends to (enable/disable move rules between server groups' pools).
  const poolOfRule = new Map(
    (existing?.loadBalancingRules ?? []).map((r): [string | undefined, string | undefined] => [
      r.name,
      String(r.backendAddressPool?.id ?? '')
        .split('/')
        .pop(),
    ]),
  );
  const frontendId = `${id}/frontendIPConfigurations/${frontend.name}`;
  return {
    location: region,
    sku: { name: 'Standard' },
    tags,
    frontendIPConfigurations: [frontend],
    backendAddressPools: pools,
    probes: probes.map((p) => ({
      name: p.probeName,
      protocol: cap(p.probeProtocol ?? 'Tcp'),
      port: p.probePort,
      ...(cap(p.probeProtocol ?? 'Tcp') !== 'Tcp' ? { requestPath: p.probePath ?? '/' } : {}),
      intervalInSeconds: p.probeInterval ?? 15,
      numberOfProbes: p.unhealthyThreshold ?? 2,
    })),
    loadBalancingRules: rules.map((r) => ({
      name: r.ruleName,
      protocol: cap(r.protocol ?? 'Tcp'),
      frontendPort: r.externalPort,
      backendPort: r.backendPort,
      frontendIPConfiguration: { id: frontendId },
      backendAddressPool: { id: `${id}/backendAddressPools/${poolOfRule.get(r.ruleName) || pools[0]!.name}` },
      ...(r.probeName ? { probe: { id: `${id}/probes/${r.probeName}` } } : {}),
      idleTimeoutInMinutes: r.idleTimeout ?? 4,
      loadDistribution: PERSISTENCE[r.persistence ?? 'None'] ?? 'Default',
    })),
  };
}

/** The application gateway body: gateway subnet, public frontend, a port, listener, HTTP settings and basic routing rule per rule. */
function gatewayBody(
  id: string,
  region: string,
  subnetId: string,
  publicIpId: string,
  existing: ApplicationGateway | undefined,
  input: Record<string, unknown>,
  probes: Probe[],
  rules: Rule[],
  tags: Record<string, string>,
): Record<string, unknown> {
  const pools: { name?: string | undefined }[] = (existing?.backendAddressPools ?? []).map((p) => ({ name: p.name }));
  if (pools.length === 0) pools.push({ name: DEFAULT_BACKEND_POOL });
  const poolOfRule = new Map(
    (existing?.requestRoutingRules ?? []).map((r): [string | undefined, string | undefined] => [
      r.name,
      String(r.backendAddressPool?.id ?? '')
        .split('/')
        .pop(),
    ]),
  );
  const sku = str(input.sku) || 'Standard_v2';
  return {
    location: region,
    tags,
    sku: { name: sku, tier: str(input.tier) || sku, capacity: isNonNegativeInt(input.capacity) ? input.capacity : 2 },
    gatewayIPConfigurations: [{ name: 'gateway-ip', subnet: { id: subnetId } }],
    frontendIPConfigurations: [{ name: 'frontend', publicIPAddress: { id: publicIpId } }],
    frontendPorts: rules.map((r) => ({ name: `${r.ruleName}-port`, port: r.externalPort })),
    backendAddressPools: pools,
    probes: probes.map((p) => ({
      name: p.probeName,
      protocol: cap(p.probeProtocol ?? 'Http'),
      host: '127.0.0.1',
      path: p.probePath ?? '/',
      interval: p.probeInterval ?? 30,
      timeout: p.timeout ?? 30,
      unhealthyThreshold: p.unhealthyThreshold ?? 3,
    })),
    backendHttpSettingsCollection: rules.map((r) => ({
      name: `${r.ruleName}-settings`,
      port: r.backendPort,
      protocol: 'Http',
      cookieBasedAffinity: 'Disabled',
      ...(r.probeName ? { probe: { id: `${id}/probes/${r.probeName}` } } : {}),
    })),
    httpListeners: rules.map((r) => ({
      name: `${r.ruleName}-listener`,
      protocol: cap(r.protocol ?? 'Http'),
      frontendIPConfiguration: { id: `${id}/frontendIPConfigurations/frontend` },
      frontendPort: { id: `${id}/frontendPorts/${r.ruleName}-port` },
    })),
    requestRoutingRules: rules.map((r, i) => ({
      name: r.ruleName,
      ruleType: 'Basic',
      priority: 100 + i,
      httpListener: { id: `${id}/httpListeners/${r.ruleName}-listener` },
      backendAddressPool: { id: `${id}/backendAddressPools/${poolOfRule.get(r.ruleName) || pools[0]!.name}` },
      backendHttpSettings: { id: `${id}/backendHttpSettingsCollection/${r.ruleName}-settings` },
    })),
  };
}

/**
 * Creates or updates an Azure load balancer (L4, `Azure Load Balancer`, the default) or application
 * gateway (`Azure Application Gateway`) with the description's probes and rules. Clouddriver deploys
 * an ARM template for this; the result is the same resource, written directly with the network SDK.
 * Existing backend pools (which scale sets belong to) and each rule's pool are kept on update.
 */
// eslint-disable-next-line max-lines-per-function -- to split after the dedupe merge (another helper is rewriting providers' ops/ now)
export function upsertLoadBalancerOperation(deps: AzureOperationDeps): OperationDefinition<UpsertLoadBalancerDescription> {
  return {
    name: 'upsertLoadBalancer',
    converter: {
      convertDescription: (input) => ({ ...loadBalancerDescriptionOf(input), loadBalancerType: typeOf(input) }),
      convertOperation: (d): AtomicOperation => ({
        async operate(_prior, context) {
          const account = deps.accounts.get(d.credentials!)!;
          const clients = deps.clients.forAccount(account);
          const name = d.loadBalancerName;
          const gateway = d.loadBalancerType === AZURE_APPLICATION_GATEWAY;
          const kind = gateway ? 'application gateway' : 'load balancer';
          await context.task.updateStatus(PHASE_UPSERT, `Initializing upsert of ${kind} ${name} in ${account.name}/${d.region}`);
          const live = await findLive(clients, d.region, name);
          const existing = gateway ? live.gateway : live.loadBalancer;
          if (!existing && (gateway ? live.loadBalancer : live.gateway))
            throw new Error(`${name} already exists in ${d.region} as ${gateway ? 'a load balancer' : 'an application gateway'}`);
          const resourceGroup = optString(d.input.resourceGroupName) ?? (existing ? resourceGroupOf(existing.id) : account.defaultResourceGroup);
          const id = `/subscriptions/${account.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/${gateway ? 'applicationGateways' : 'loadBalancers'}/${name}`;
          const probes = (d.input.probes as Probe[] | undefined) ?? [];
          const rules = (d.input.loadBalancingRules as Rule[] | undefined) ?? [];
          const appName = optString(d.input.appName) ?? parseServerGroupName(name).app;
          const tags = {
            ...(existing?.tags ?? {}),
            appName,
            ...(optString(d.input.stack) ? { stack: d.input.stack as string } : {}),
            ...(optString(d.input.detail) ? { detail: d.input.detail as string } : {}),
          };
          const vnet = optString(d.input.vnet);
          const subnet = optString(d.input.subnet);
          const poll = { ...clients.pollOptions, abortSignal: context.signal };
          if (gateway) {
            const subnetId = await requireSubnetId(clients, d.region, vnet!, subnet!);
            const publicIpId =
              existing?.frontendIPConfigurations?.[0]?.publicIPAddress?.id ??
              (await ensurePublicIp(clients, resourceGroup, `${name}-pip`, d.region, context.signal));
            await context.task.updateStatus(
              PHASE_UPSERT,
              `${existing ? 'Updating' : 'Creating'} application gateway ${name} with ${rules.length} rule(s) in resource group ${resourceGroup}`,
            );
            const body = gatewayBody(id, d.region, subnetId, publicIpId, existing, d.input, probes, rules, tags);
            await azureCall(`Upserting application gateway ${name}`, () =>
              clients.network.applicationGateways.beginCreateOrUpdateAndWait(resourceGroup, name, body as never, poll),
            );
          } else {
            let frontend: Record<string, unknown>;
            if (vnet && subnet)
              frontend = {
                name: `${name}-frontend`,
                subnet: { id: await requireSubnetId(clients, d.region, vnet, subnet) },
                privateIPAllocationMethod: 'Dynamic',
              };
            else {
              const kept = existing?.frontendIPConfigurations?.[0]?.publicIPAddress?.id as string | undefined;
              frontend = {
                name: existing?.frontendIPConfigurations?.[0]?.name ?? `${name}-frontend`,
                publicIPAddress: { id: kept ?? (await ensurePublicIp(clients, resourceGroup, `${name}-pip`, d.region, context.signal)) },
              };
            }
            await context.task.updateStatus(
              PHASE_UPSERT,
              `${existing ? 'Updating' : 'Creating'} load balancer ${name} with ${rules.length} rule(s) and ${probes.length} probe(s) in resource group ${resourceGroup}`,
            );
            const body = loadBalancerBody(id, d.region, frontend, existing, probes, rules, tags);
            await azureCall(`Upserting load balancer ${name}`, () =>
              clients.network.loadBalancers.beginCreateOrUpdateAndWait(resourceGroup, name, body as never, poll),
            );
          }
          await deps.refresher.agent(account.name, d.region, 'AzureLoadBalancerCachingAgent');
          await context.task.updateStatus(PHASE_UPSERT, `Done upserting ${kind} ${name}`);
          return { loadBalancers: { [d.region]: { name } } };
        },
      }),
    },
    validator: {
      validate(d, errors) {
        validateRegionalName(errors, nameRules(deps.accounts), d, 'loadBalancerName', d.loadBalancerName);
        validateResourceGroup(errors, d.input.resourceGroupName);
        if (!TYPES.includes(d.loadBalancerType)) errors.reject('loadBalancerType', 'invalid', `loadBalancerType must be ${TYPES.join(' or ')}`);
        const gateway = d.loadBalancerType === AZURE_APPLICATION_GATEWAY;
        validateName(errors, d.input.vnet, 'vnet', gateway);
        validateName(errors, d.input.subnet, 'subnet', gateway);
        if (!gateway && (d.input.vnet === undefined) !== (d.input.subnet === undefined))
          errors.reject(d.input.vnet === undefined ? 'vnet' : 'subnet', 'empty', 'vnet and subnet go together (an internal load balancer)');
        const probeNames = validateProbes(errors, d.input.probes, gateway);
        validateRules(errors, d.input.loadBalancingRules, probeNames, gateway);
      },
    },
    accountsOf: (d) => (d.credentials ? [d.credentials] : []),
    applicationsOf: (d) => (d.loadBalancerName ? [parseServerGroupName(d.loadBalancerName).app] : []),
  };
}

function validateProbes(errors: ValidationErrors, value: unknown, gateway: boolean): Set<string> {
  const names = new Set<string>();
  if (value === undefined) return names;
  if (!Array.isArray(value)) {
    errors.reject('probes', 'invalid', 'probes must be a list');
    return names;
  }
  const protocols = gateway ? ['Http', 'Https'] : ['Tcp', 'Http', 'Https'];
  value.forEach((raw, i) => {
    const f = `probes[${i}]`;
    if (!raw || typeof raw !== 'object') return errors.reject(f, 'invalid', `${f} must be an object`);
    const p = raw as Record<string, unknown>;
    validateName(errors, p.probeName, `${f}.probeName`);
    if (typeof p.probeName === 'string') names.add(p.probeName);
    if (p.probeProtocol !== undefined && !protocols.includes(cap(str(p.probeProtocol))))
      errors.reject(`${f}.probeProtocol`, 'invalid', `${f}.probeProtocol must be one of ${protocols.join(', ')}`);
    if (!gateway && !isPort(p.probePort)) errors.reject(`${f}.probePort`, 'invalid', `${f}.probePort must be a port (1-65535)`);
    for (const k of ['probeInterval', 'unhealthyThreshold', 'timeout'])
      if (p[k] !== undefined && !(isNonNegativeInt(p[k]) && (p[k] as number) > 0))
        errors.reject(`${f}.${k}`, 'invalid', `${f}.${k} must be a positive integer`);
    if (p.probePath !== undefined && (typeof p.probePath !== 'string' || !p.probePath.startsWith('/')))
      errors.reject(`${f}.probePath`, 'invalid', `${f}.probePath must start with /`);
  });
  return names;
}

function validateRules(errors: ValidationErrors, value: unknown, probes: Set<string>, gateway: boolean): void {
  if (value === undefined) {
    if (gateway) errors.reject('loadBalancingRules', 'empty', 'an application gateway needs at least one rule');
    return;
  }
  if (!Array.isArray(value)) return errors.reject('loadBalancingRules', 'invalid', 'loadBalancingRules must be a list');
  const protocols = gateway ? ['Http', 'Https'] : ['Tcp', 'Udp'];
  const seen = new Set<string>();
  value.forEach((raw, i) => {
    const f = `loadBalancingRules[${i}]`;
    if (!raw || typeof raw !== 'object') return errors.reject(f, 'invalid', `${f} must be an object`);
    const r = raw as Record<string, unknown>;
    validateName(errors, r.ruleName, `${f}.ruleName`);
    if (typeof r.ruleName === 'string' && seen.has(r.ruleName)) errors.reject(`${f}.ruleName`, 'invalid', `rule name ${r.ruleName} is used twice`);
    seen.add(String(r.ruleName));
    if (r.protocol !== undefined && !protocols.includes(cap(str(r.protocol))))
      errors.reject(`${f}.protocol`, 'invalid', `${f}.protocol must be one of ${protocols.join(', ')}`);
    if (!isPort(r.externalPort)) errors.reject(`${f}.externalPort`, 'invalid', `${f}.externalPort must be a port (1-65535)`);
    if (!isPort(r.backendPort)) errors.reject(`${f}.backendPort`, 'invalid', `${f}.backendPort must be a port (1-65535)`);
    if (r.probeName !== undefined && !probes.has(String(r.probeName)))
      errors.reject(`${f}.probeName`, 'invalid', `${f}.probeName '${String(r.probeName)}' names no probe of this description`);
    if (!gateway && r.persistence !== undefined && !(str(r.persistence) in PERSISTENCE))
      errors.reject(`${f}.persistence`, 'invalid', `${f}.persistence must be one of ${Object.keys(PERSISTENCE).join(', ')}`);
    if (r.idleTimeout !== undefined && !(isNonNegativeInt(r.idleTimeout) && r.idleTimeout >= 4 && r.idleTimeout <= 30))
      errors.reject(`${f}.idleTimeout`, 'invalid', `${f}.idleTimeout must be 4 to 30 minutes`);
  });
}

export interface DeleteLoadBalancerDescription {
  readonly credentials?: string | undefined;
  readonly loadBalancerName: string;
  readonly region: string;
  readonly loadBalancerType: string;
}

/**
 * Deletes a load balancer or application gateway (and the `<name>-pip` public IP an upsert created).
 * Refused while a scale set still sits in one of its backend pools, as Clouddriver refuses to delete
 * a load balancer with server groups behind it. Nothing to delete is success.
 */
export function deleteLoadBalancerOperation(deps: AzureOperationDeps): OperationDefinition<DeleteLoadBalancerDescription> {
  return accountOperation({
    name: 'deleteLoadBalancer',
    accounts: deps.accounts,
    convert: (input) => ({
      loadBalancerName: str(input.loadBalancerName ?? input.name),
      region: regionOf(input),
      loadBalancerType: input.loadBalancerType === undefined ? '' : typeOf(input),
    }),
    async operate(d, account, context) {
      const clients = deps.clients.forAccount(account);
      const name = d.loadBalancerName;
      await context.task.updateStatus(PHASE_DELETE, `Initializing delete of ${name} in ${account.name}/${d.region}`);
      const live = await findLive(clients, d.region, name);
      const gateway = d.loadBalancerType === AZURE_APPLICATION_GATEWAY || (d.loadBalancerType === '' && !live.loadBalancer && !!live.gateway);
      const existing = gateway ? live.gateway : live.loadBalancer;
      const kind = gateway ? 'application gateway' : 'load balancer';
      if (!existing) {
        await context.task.updateStatus(PHASE_DELETE, `${gateway ? 'Application gateway' : 'Load balancer'} ${name} does not exist; nothing to delete`);
        return undefined;
      }
      const sets = await azureCall('Listing scale sets', () => collect(clients.compute.virtualMachineScaleSets.listAll()));
      const prefix = `${String(existing.id).toLowerCase()}/backendaddresspools/`;
      const behind = sets
        .filter((s) =>
          JSON.stringify(s.virtualMachineProfile?.networkProfile ?? {})
            .toLowerCase()
            .includes(prefix),
        )
        .map((s) => s.name);
      if (behind.length > 0) throw new Error(`Cannot delete ${kind} ${name}: server group(s) ${behind.join(', ')} are still behind it`);
      const resourceGroup = resourceGroupOf(existing.id);
      const poll = { ...clients.pollOptions, abortSignal: context.signal };
      await context.task.updateStatus(PHASE_DELETE, `Deleting ${kind} ${name}`);
      await azureCall(`Deleting ${kind} ${name}`, () =>
        gateway
          ? clients.network.applicationGateways.beginDeleteAndWait(resourceGroup, name, poll)
          : clients.network.loadBalancers.beginDeleteAndWait(resourceGroup, name, poll),
      );
      const ipIds: string[] = (existing.frontendIPConfigurations ?? [])
        .map((f) => f.publicIPAddress?.id)
        .filter((x: unknown): x is string => typeof x === 'string');
      for (const ipId of ipIds.filter((i) => i.toLowerCase().endsWith(`/publicipaddresses/${name.toLowerCase()}-pip`))) {
        await context.task.updateStatus(PHASE_DELETE, `Deleting public IP ${name}-pip`);
        await azureCall(`Deleting public IP ${name}-pip`, () =>
          clients.network.publicIPAddresses.beginDeleteAndWait(resourceGroupOf(ipId), `${name}-pip`, poll),
        );
      }
      await deps.refresher.agent(account.name, d.region, 'AzureLoadBalancerCachingAgent', {
        [Types.loadBalancers]: [Keys.loadBalancer(account.name, d.region, name)],
      });
      await context.task.updateStatus(PHASE_DELETE, `Deleted ${kind} ${name}`);
      return undefined;
    },
    validate(d, errors) {
      validateRegionalName(errors, nameRules(deps.accounts), d, 'loadBalancerName', d.loadBalancerName);
      if (d.loadBalancerType !== '' && !TYPES.includes(d.loadBalancerType))
        errors.reject('loadBalancerType', 'invalid', `loadBalancerType must be ${TYPES.join(' or ')}`);
    },
  });
}
