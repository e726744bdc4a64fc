import { paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** Caches VPCs (`aws:vpcs:<id>:<account>:<region>`), for `/networks/aws`. */
export class VpcCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.vpcs)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonVpcCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const vpcs = await collectPages(
      paginateDescribeVpcs({ client: this.aws.ec2, pageSize: this.pageSize(1000) }, {}, { abortSignal: context.signal }),
      (p) => p.Vpcs,
    );
    return {
      cacheResults: {
        [Types.vpcs]: vpcs
          .filter((v) => v.VpcId)
          .map((v) =>
            cacheData(Keys.vpc(v.VpcId!, this.account.name, this.region), {
              ...toPlain(v),
              account: this.account.name,
              region: this.region,
              tagMap: tagMap(v.Tags),
            }),
          ),
      },
    };
  }
}
