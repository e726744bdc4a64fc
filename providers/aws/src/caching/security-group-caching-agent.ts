import { paginateDescribeSecurityGroups } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** Caches security groups (`aws:securityGroups:<name>:<id>:<region>:<account>:<vpcId>`). */
export class SecurityGroupCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.securityGroups)];

  constructor(options: AwsAgentOptions) {
    super(options, 'SecurityGroupCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const groups = await collectPages(
      paginateDescribeSecurityGroups({ client: this.aws.ec2, pageSize: this.pageSize(1000) }, {}, { abortSignal: context.signal }),
      (p) => p.SecurityGroups,
    );
    return {
      cacheResults: {
        [Types.securityGroups]: groups
          .filter((g) => g.GroupId && g.GroupName)
          .map((g) =>
            cacheData(Keys.securityGroup(g.GroupName!, g.GroupId!, this.region, this.account.name, g.VpcId), {
              ...toPlain(g),
              account: this.account.name,
              region: this.region,
              tagMap: tagMap(g.Tags),
            }),
          ),
      },
    };
  }
}
