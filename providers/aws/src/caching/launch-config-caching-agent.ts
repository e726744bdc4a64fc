import { paginateDescribeLaunchConfigurations } from '@aws-sdk/client-auto-scaling';
import { authoritative, cacheData, type AgentRunContext, type CacheData, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches launch configurations (`aws:launchConfigs:<account>:<region>:<name>`), listed in bulk,
 * for the `launchConfig` of server groups that still use one (Clouddriver's LaunchConfigCachingAgent).
 */
export class LaunchConfigCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.launchConfigs)];

  constructor(options: AwsAgentOptions) {
    super(options, 'LaunchConfigCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const items: CacheData[] = [];
    const pages = paginateDescribeLaunchConfigurations({ client: this.aws.autoScaling, pageSize: this.pageSize(100) }, {}, { abortSignal: context?.signal });
    for await (const page of pages) {
      context?.signal?.throwIfAborted();
      for (const lc of page.LaunchConfigurations ?? []) {
        if (!lc.LaunchConfigurationName) continue;
        items.push(
          cacheData(Keys.launchConfig(this.account.name, this.region, lc.LaunchConfigurationName), {
            ...toPlain(lc),
            account: this.account.name,
            region: this.region,
          }),
        );
      }
    }
    return { cacheResults: { [Types.launchConfigs]: items } };
  }
}
