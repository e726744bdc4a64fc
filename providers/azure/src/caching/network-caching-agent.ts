import { authoritative, cacheData, type CacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { named, resourceGroupOf, toPlain } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

/** Caches the region's virtual networks and their subnets (both authoritative) from one list. */
export class AzureNetworkCachingAgent extends AzureCachingAgent {
  readonly providedDataTypes = [authoritative(Types.networks), authoritative(Types.subnets)];

  constructor(options: AzureAgentOptions) {
    super(options, 'AzureNetworkCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return {
      [Types.networks]: `azure:networks:*:*:${this.account.name}:${this.region}`,
      [Types.subnets]: `azure:subnets:*:*:${this.account.name}:${this.region}`,
    };
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const account = this.account.name;
    const networks: CacheData[] = [];
    const subnets: CacheData[] = [];
    for (const vnet of (await collect(this.azure.network.virtualNetworks.listAll({ abortSignal: context.signal }), context.signal))
      .filter((v) => this.inRegion(v))
      .filter(named)
      .map(toPlain)) {
      const resourceGroup = resourceGroupOf(vnet.id);
      const namedSubnets = (vnet.subnets ?? []).filter(named);
      const subnetKeys = namedSubnets.map((s) => Keys.subnet(s.name, vnet.name, account, this.region));
      networks.push(
        cacheData(
          Keys.network(vnet.name, resourceGroup, account, this.region),
          {
            name: vnet.name,
            id: vnet.id,
            account,
            region: this.region,
            resourceGroup,
            addressSpace: vnet.addressSpace?.addressPrefixes ?? [],
            tags: vnet.tags ?? {},
          },
          { [Types.subnets]: subnetKeys },
        ),
      );
      for (const s of namedSubnets) {
        subnets.push(
          cacheData(Keys.subnet(s.name, vnet.name, account, this.region), {
            name: s.name,
            id: s.id,
            account,
            region: this.region,
            resourceGroup,
            vnet: vnet.name,
            addressPrefix: s.addressPrefix,
            networkSecurityGroup: s.networkSecurityGroup?.id,
          }),
        );
      }
    }
    return {
      cacheResults: { [Types.networks]: networks, [Types.subnets]: subnets },
      introspectionDetails: { networks: networks.length, subnets: subnets.length },
    };
  }
}
