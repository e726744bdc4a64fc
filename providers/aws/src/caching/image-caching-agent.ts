import { paginateDescribeImages } from '@aws-sdk/client-ec2';
import { authoritative, cacheData, type CacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { collectPages } from '../paginate.js';
import { tagMap, toPlain } from '../plain.js';
import { AwsCachingAgent, type AwsAgentOptions } from './aws-agent.js';

/**
 * Caches the images the account owns (`Owners: ['self']`) as `images` (per region) and
 * `namedImages` (per account and name, linking the image ids in every region).
 */
export class ImageCachingAgent extends AwsCachingAgent {
  readonly providedDataTypes = [authoritative(Types.images), authoritative(Types.namedImages)];

  constructor(options: AwsAgentOptions) {
    super(options, 'ImageCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const images = await collectPages(
      paginateDescribeImages({ client: this.aws.ec2, pageSize: this.pageSize(1000) }, { Owners: ['self'] }, { abortSignal: context.signal }),
      (p) => p.Images,
    );
    const imageItems: CacheData[] = [];
    const namedItems: CacheData[] = [];
    for (const image of images) {
      if (!image.ImageId) continue;
      const imageKey = Keys.image(this.account.name, this.region, image.ImageId);
      const namedKey = image.Name ? Keys.namedImage(this.account.name, image.Name) : undefined;
      imageItems.push(
        cacheData(
          imageKey,
          { ...toPlain(image), account: this.account.name, region: this.region, tagMap: tagMap(image.Tags) },
          namedKey ? { namedImages: [namedKey] } : {},
        ),
      );
      if (namedKey) {
        namedItems.push(
          cacheData(
            namedKey,
            { name: image.Name, account: this.account.name, virtualizationType: image.VirtualizationType, creationDate: image.CreationDate },
            { images: [imageKey] },
          ),
        );
      }
    }
    return { cacheResults: { [Types.images]: imageItems, [Types.namedImages]: namedItems } };
  }
}
