import { DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** Caches key pairs (`aws:keyPairs:<name>:<account>:<region>`); DescribeKeyPairs is not paginated. */
export class KeyPairCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.keyPairs)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonKeyPairCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const out = await this.aws.ec2.send(new DescribeKeyPairsCommand({}), { abortSignal: context.signal });
    return {
      cacheResults: {
        [Types.keyPairs]: (out.KeyPairs ?? [])
          .filter((k) => k.KeyName)
          .map((k) => cacheData(Keys.keyPair(k.KeyName!, this.account.name, this.region), { ...toPlain(k), account: this.account.name, region: this.region })),
      },
    };
  }
}
