import { DescribeLaunchTemplateVersionsCommand, paginateDescribeLaunchTemplates, type LaunchTemplateVersion } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches launch templates with their latest and default versions. Versions are fetched with one
 * `DescribeLaunchTemplateVersions` per template (the API takes one template id at a time), limited
 * to `$Latest` and `$Default`.
 */
export class LaunchTemplateCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.launchTemplates)];

  constructor(options: AwsAgentOptions) {
    super(options, 'LaunchTemplateCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const templates = await collectPages(
      paginateDescribeLaunchTemplates({ client: this.aws.ec2, pageSize: this.pageSize(200) }, {}, { abortSignal: context.signal }),
      (p) => p.LaunchTemplates,
    );
    const items = [];
    for (const template of templates) {
      if (!template.LaunchTemplateName || !template.LaunchTemplateId) continue;
      let versions: LaunchTemplateVersion[];
      try {
        const out = await this.aws.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['$Latest', '$Default'] }),
          { abortSignal: context.signal },
        );
        versions = out.LaunchTemplateVersions ?? [];
      } catch {
        // A run the scheduler gave up on stops here; otherwise deleted between the two calls.
        context.signal.throwIfAborted();
        continue;
      }
      const latest = versions.find((v) => v.VersionNumber === template.LatestVersionNumber) ?? versions[0];
      items.push(
        cacheData(Keys.launchTemplate(this.account.name, this.region, template.LaunchTemplateName), {
          ...toPlain(template),
          account: this.account.name,
          region: this.region,
          latestVersion: latest ? toPlain(latest) : undefined,
          versions: toPlain(versions),
        }),
      );
    }
    return { cacheResults: { [Types.launchTemplates]: items } };
  }
}
