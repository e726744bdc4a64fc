import { authoritative, cacheData, type CacheResult, type AgentRunContext, type ProviderCache } from '@stratus/plugin-api';
import { Keys, Types } from '../keys.js';
import { named, resourceGroupOf, toPlain } from '../plain.js';
import { AzureCachingAgent, collect, type AzureAgentOptions } from './azure-agent.js';

/**
 * Caches the region's managed images (authoritative): the custom images deploys can name with
 * `image: {isCustom: true, uri: <id>}`. Marketplace images are not listed (the catalogue is huge;
 * deploys name them by publisher, offer, sku and version).
 */
export class AzureImageCachingAgent extends AzureCachingAgent {
  readonly providedDataTypes = [authoritative(Types.images)];

  constructor(options: AzureAgentOptions) {
    super(options, 'AzureCustomImageCachingAgent');
  }

  async loadData(_providerCache: ProviderCache, context: AgentRunContext): Promise<CacheResult> {
    const images = (await collect(this.azure.compute.images.list({ abortSignal: context.signal }), context.signal))
      .filter((i) => this.inRegion(i))
      .filter(named)
      .map(toPlain);
    const items = images.map((image) =>
      cacheData(Keys.image(this.account.name, this.region, image.name), {
        imageName: image.name,
        name: image.name,
        uri: image.id,
        isCustom: true,
        account: this.account.name,
        region: this.region,
        resourceGroup: resourceGroupOf(image.id),
        ostype: image.storageProfile?.osDisk?.osType,
        provisioningState: image.provisioningState,
        tags: image.tags ?? {},
      }),
    );
    return { cacheResults: { [Types.images]: items }, introspectionDetails: { images: items.length } };
  }
}
