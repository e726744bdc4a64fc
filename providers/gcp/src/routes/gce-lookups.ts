import type { Cache } from '@stratus/plugin-api';
import { cachedAttributes, pickFields } from '@stratus/provider-kit';
import { GCE, Types } from '../keys.js';

/**
 * Data behind the GCE endpoints the generic read API does not cover (`/gce/images/find`,
 * `/networks/gce`, `/subnets/gce`), as plain functions over the cache.
 */
export class GceLookups {
  constructor(private readonly cache: Cache) {}

  /**
   * `GET /gce/images/find?q=&account=`: images whose name contains `q` (case-insensitive), as
   * Clouddriver's `GoogleNamedImageLookupController` returns them: `[{imageName, account, attributes}]`.
   */
  async findImages(query: { q?: string | undefined; account?: string | undefined }): Promise<Record<string, unknown>[]> {
    const q = (query.q ?? '').toLowerCase();
    return (await cachedAttributes(this.cache, Types.images))
      .filter((a) => (!query.account || a.account === query.account) && (!q || String(a.name).toLowerCase().includes(q)))
      .map((a) => ({
        imageName: a.name,
        account: a.account,
        tags: (a.image as { labels?: Record<string, string> } | undefined)?.labels ?? {},
        attributes: {
          creationDate: a.createdTime !== undefined ? new Date(a.createdTime as number).toISOString() : undefined,
          family: a.family,
          project: a.project,
          selfLink: a.selfLink,
        },
      }))
      .sort((x, y) => String(x.imageName).localeCompare(String(y.imageName)) || String(x.account).localeCompare(String(y.account)));
  }

  /** `GET /networks/gce`: `[{cloudProvider, id, name, account, region, autoCreateSubnets}]`. */
  async networks(): Promise<Record<string, unknown>[]> {
    return (await cachedAttributes(this.cache, Types.networks)).map((a) => ({
      cloudProvider: GCE,
      id: a.name,
      ...pickFields(a, ['name', 'account', 'region', 'autoCreateSubnets']),
    }));
  }

  /** `GET /subnets/gce`: `[{type, id, name, account, region, network, ipCidrRange, purpose}]`. */
  async subnets(): Promise<Record<string, unknown>[]> {
    return (await cachedAttributes(this.cache, Types.subnets)).map((a) => ({
      type: GCE,
      id: a.name,
      ...pickFields(a, ['name', 'account', 'region', 'network', 'ipCidrRange', 'purpose']),
    }));
  }
}
