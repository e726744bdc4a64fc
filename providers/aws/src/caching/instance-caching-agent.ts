import { paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, parseServerGroupName, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/** The tag EC2 Auto Scaling puts on the instances it launches. */
const ASG_TAG = 'aws:autoscaling:groupName';

/** Health from the EC2 instance state, as Clouddriver's `Amazon` platform health. */
export function amazonHealth(state: string | undefined): { type: string; healthClass: string; state: string } {
  const mapped = state === 'running' ? 'Up' : state === 'pending' ? 'Starting' : state === undefined ? 'Unknown' : 'Down';
  return { type: 'Amazon', healthClass: 'platform', state: mapped };
}

/** Caches EC2 instances (terminated ones are skipped: they linger for an hour and mean nothing). */
export class InstanceCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.instances)];

  constructor(options: AwsAgentOptions) {
    super(options, 'InstanceCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const reservations = await collectPages(
      paginateDescribeInstances({ client: this.aws.ec2, pageSize: this.pageSize(1000) }, {}, { abortSignal: context.signal }),
      (p) => p.Reservations,
    );
    const instances = reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.InstanceId && i.State?.Name !== 'terminated');
    return { cacheResults: { [Types.instances]: instances.map((i) => this.toCacheData(i)) } };
  }

  private toCacheData(instance: Instance) {
    const tags = tagMap(instance.Tags);
    const asgName = tags[ASG_TAG];
    const relationships: Record<string, string[]> = {};
    if (asgName) relationships[Types.serverGroups] = [Keys.serverGroup(this.account.name, this.region, asgName)];
    if (instance.ImageId) relationships[Types.images] = [Keys.image(this.account.name, this.region, instance.ImageId)];
    return cacheData(
      Keys.instance(this.account.name, this.region, instance.InstanceId!),
      {
        ...toPlain(instance),
        name: instance.InstanceId,
        account: this.account.name,
        region: this.region,
        zone: instance.Placement?.AvailabilityZone,
        launchTime: instance.LaunchTime?.getTime(),
        stateName: instance.State?.Name,
        tagMap: tags,
        // The application (from the group's name) tells the cache which application's views a
        // change of this instance touches; without it every application's would be thrown away.
        ...(asgName ? { serverGroup: asgName, application: parseServerGroupName(asgName).app } : {}),
        health: [amazonHealth(instance.State?.Name)],
      },
      relationships,
    );
  }
}
