import type { PlainApplicationGateway, PlainLoadBalancer } from '../azure-types.js';
import { authoritative, cacheData, type CacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { lastSegment, named, resourceGroupOf, toPlain } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

export const AZURE_LOAD_BALANCER = 'Azure Load Balancer';
export const AZURE_APPLICATION_GATEWAY = 'Azure Application Gateway';

/**
 * Caches the region's Azure load balancers and application gateways (authoritative): frontends,
 * backend pools, rules and probes in the shape the load balancer view needs. Which server groups
 * are behind one comes from the server group agent's edges.
 */
export class AzureLoadBalancerCachingAgent extends AzureCachingAgent {
  readonly providedDataTypes = [authoritative(Types.loadBalancers)];

  constructor(options: AzureAgentOptions) {
    super(options, 'AzureLoadBalancerCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const [loadBalancers, gateways] = await this.consistentRead(() =>
      Promise.all([
        collect(this.azure.network.loadBalancers.listAll({ abortSignal: context.signal }), context.signal),
        collect(this.azure.network.applicationGateways.listAll({ abortSignal: context.signal }), context.signal),
      ]),
    );
    const items: CacheData[] = [];
    for (const raw of loadBalancers.filter((lb) => this.inRegion(lb)).filter(named)) items.push(this.loadBalancerItem(toPlain(raw)));
    for (const raw of gateways.filter((gw) => this.inRegion(gw)).filter(named)) items.push(this.gatewayItem(toPlain(raw)));
    return { cacheResults: { [Types.loadBalancers]: items }, introspectionDetails: { loadBalancers: items.length } };
  }

  private loadBalancerItem(lb: PlainLoadBalancer & { name: string }): CacheData {
    const rules = (lb.loadBalancingRules ?? []).map((r) => ({
      ruleName: r.name,
      protocol: r.protocol,
      externalPort: r.frontendPort,
      backendPort: r.backendPort,
      backendAddressPool: lastSegment(r.backendAddressPool?.id),
      probeName: lastSegment(r.probe?.id) || undefined,
      idleTimeout: r.idleTimeoutInMinutes,
      loadDistribution: r.loadDistribution,
    }));
    return cacheData(Keys.loadBalancer(this.account.name, this.region, lb.name), {
      name: lb.name,
      account: this.account.name,
      region: this.region,
      resourceGroup: resourceGroupOf(lb.id),
      id: lb.id,
      loadBalancerType: AZURE_LOAD_BALANCER,
      provisioningState: lb.provisioningState,
      sku: lb.sku?.name,
      frontendIPConfigurations: (lb.frontendIPConfigurations ?? []).map((f) => ({
        name: f.name,
        privateIPAddress: f.privateIPAddress,
        publicIPAddress: lastSegment(f.publicIPAddress?.id) || undefined,
      })),
      backendPools: (lb.backendAddressPools ?? []).map((p) => p.name),
      activeBackendPools: [...new Set(rules.map((r: { backendAddressPool: string }) => r.backendAddressPool).filter(Boolean))],
      loadBalancingRules: rules,
      probes: (lb.probes ?? []).map((p) => ({
        probeName: p.name,
        probeProtocol: p.protocol,
        probePort: p.port,
        probePath: p.requestPath,
        probeInterval: p.intervalInSeconds,
        unhealthyThreshold: p.numberOfProbes,
      })),
      tags: lb.tags ?? {},
    });
  }

  private gatewayItem(gw: PlainApplicationGateway & { name: string }): CacheData {
    return cacheData(Keys.loadBalancer(this.account.name, this.region, gw.name), {
      name: gw.name,
      account: this.account.name,
      region: this.region,
      resourceGroup: resourceGroupOf(gw.id),
      id: gw.id,
      loadBalancerType: AZURE_APPLICATION_GATEWAY,
      provisioningState: gw.provisioningState,
      sku: gw.sku?.name,
      backendPools: (gw.backendAddressPools ?? []).map((p) => p.name),
      loadBalancingRules: (gw.requestRoutingRules ?? []).map((r) => ({ ruleName: r.name, backendAddressPool: lastSegment(r.backendAddressPool?.id) })),
      probes: (gw.probes ?? []).map((p) => ({ probeName: p.name, probeProtocol: p.protocol, probePath: p.path })),
      tags: gw.tags ?? {},
    });
  }
}
