import { DescribeChangeSetCommand, paginateDescribeStacks, paginateListChangeSets, type Stack } from '@aws-sdk/client-cloudformation';
import { authoritative, cacheData, type AgentRunContext, type CacheResult, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches CloudFormation stacks with their change sets (and each change set's changes) in
 * Clouddriver's `AmazonCloudFormationStack` shape, for `/aws/cloudFormation/stacks`, which Orca's
 * WaitForCloudFormationCompletionTask polls after every CloudFormation stage.
 */
export class CloudFormationCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.stacks)];

  constructor(options: AwsAgentOptions) {
    super(options, 'AmazonCloudFormationCachingAgent');
  }

  async loadData(_cache: ProviderCache, context?: AgentRunContext): Promise<CacheResult> {
    const cfn = this.aws.cloudFormation;
    const stacks = await collectPages(paginateDescribeStacks({ client: cfn }, {}, { abortSignal: context?.signal }), (p) => p.Stacks);
    const items = [];
    for (const stack of stacks) {
      context?.signal?.throwIfAborted();
      if (!stack.StackId || stack.StackStatus === 'DELETE_COMPLETE') continue;
      items.push(
        cacheData(Keys.stack(stack.StackId, this.account.name, this.region), {
          ...this.stackAttributes(stack),
          changeSets: await this.changeSets(stack, context?.signal),
        }),
      );
    }
    return { cacheResults: { [Types.stacks]: items } };
  }

  private stackAttributes(stack: Stack): Record<string, unknown> {
    return {
      type: 'aws',
      stackId: stack.StackId,
      stackName: stack.StackName,
      tags: tagMap(stack.Tags),
      outputs: Object.fromEntries((stack.Outputs ?? []).filter((o) => o.OutputKey).map((o) => [o.OutputKey!, o.OutputValue ?? ''])),
      region: this.region,
      accountName: this.account.name,
      accountId: this.account.accountId,
      stackStatus: stack.StackStatus,
      ...(stack.StackStatusReason ? { stackStatusReason: stack.StackStatusReason } : {}),
      creationTime: stack.CreationTime?.getTime(),
    };
  }

  private async changeSets(stack: Stack, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    const cfn = this.aws.cloudFormation;
    const summaries = await collectPages(paginateListChangeSets({ client: cfn }, { StackName: stack.StackId }, { abortSignal: signal }), (p) => p.Summaries);
    const out: Record<string, unknown>[] = [];
    for (const summary of summaries) {
      signal?.throwIfAborted();
      let changes: unknown[] = [];
      try {
        const described = await cfn.send(
          new DescribeChangeSetCommand({ StackName: stack.StackId, ChangeSetName: summary.ChangeSetName }),
          signal ? { abortSignal: signal } : {},
        );
        changes = toPlain(described.Changes ?? []);
      } catch {
        // deleted between the calls: keep the summary
      }
      out.push({ name: summary.ChangeSetName, status: summary.Status, statusReason: summary.StatusReason, changes });
    }
    return out;
  }
}
