import { paginateDescribeSubnets } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** Caches subnets (`aws:subnets:<id>:<account>:<region>`), for `/subnets/aws` and deploys by `subnetType`. */
export class SubnetCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.subnets)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonSubnetCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const subnets = await collectPages(
      paginateDescribeSubnets({ client: this.aws.ec2, pageSize: this.pageSize(1000) }, {}, { abortSignal: context.signal }),
      (p) => p.Subnets,
    );
    return {
      cacheResults: {
        [Types.subnets]: subnets
          .filter((s) => s.SubnetId)
          .map((s) =>
            cacheData(Keys.subnet(s.SubnetId!, this.account.name, this.region), {
              ...toPlain(s),
              account: this.account.name,
              region: this.region,
              tagMap: tagMap(s.Tags),
            }),
          ),
      },
    };
  }
}
