import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { named, resourceGroupOf, toPlain } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

/** Caches the region's network security groups (authoritative), with their rules. */
export class AzureSecurityGroupCachingAgent extends AzureCachingAgent {
  readonly providedDataTypes = [authoritative(Types.securityGroups)];

  constructor(options: AzureAgentOptions) {
    super(options, 'AzureSecurityGroupCachingAgent');
  }

  cacheKeyPatterns(): Record<string, string> {
    return { [Types.securityGroups]: `azure:securityGroups:*:*:${this.region}:${this.account.name}` };
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const groups = (await this.consistentRead(() => collect(this.azure.network.networkSecurityGroups.listAll({ abortSignal: context.signal }), context.signal)))
      .filter((g) => this.inRegion(g))
      .filter(named)
      .map(toPlain);
    const items = groups.map((g) =>
      cacheData(Keys.securityGroup(g.name, resourceGroupOf(g.id), this.region, this.account.name), {
        name: g.name,
        id: g.id,
        account: this.account.name,
        region: this.region,
        resourceGroup: resourceGroupOf(g.id),
        provisioningState: g.provisioningState,
        securityRules: g.securityRules ?? [],
        subnets: (g.subnets ?? []).map((s) => s.id),
        tags: g.tags ?? {},
      }),
    );
    return { cacheResults: { [Types.securityGroups]: items }, introspectionDetails: { securityGroups: items.length } };
  }
}
