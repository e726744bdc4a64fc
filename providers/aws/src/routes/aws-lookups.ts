import type { Cache } from '@stratus/plugin-api';
import { cachedAttributes, pickFields } from '@stratus/provider-kit';
import { AWS, Types } from '../keys.js';
import { subnetPurpose } from '../read-models/views.js';

/**
 * Data behind AWS-specific endpoints the generic read API does not cover (`/aws/images/find`,
 * `/networks/aws`, `/subnets/aws`, `/keyPairs`), served by the routes in `aws-routes.ts`.
 */
export class AwsLookups {
  constructor(private readonly cache: Cache) {}

  /**
   * `GET /aws/images/find?q=&account=&region=`: named images whose name contains `q` (or whose id
   * is `q`), as `[{imageName, attributes, tagsByImageId, accounts, amis: {region: [imageId]}}]`.
   */
  async findImages(query: { q?: string | undefined; account?: string | undefined; region?: string | undefined }): Promise<Record<string, unknown>[]> {
    const q = (query.q ?? '').toLowerCase();
    const byName = new Map<
      string,
      { imageName: string; attributes: Record<string, unknown>; tagsByImageId: Record<string, unknown>; accounts: Set<string>; amis: Record<string, string[]> }
    >();
    for (const a of await cachedAttributes(this.cache, Types.images)) {
      const name = (a.name as string) ?? (a.imageId as string);
      if (query.account && a.account !== query.account) continue;
      if (query.region && a.region !== query.region) continue;
      if (q && !nameMatches(name, q) && a.imageId !== query.q) continue;
      let entry = byName.get(name);
      if (!entry) {
        entry = {
          imageName: name,
          attributes: { creationDate: a.creationDate, virtualizationType: a.virtualizationType, architecture: a.architecture },
          tagsByImageId: {},
          accounts: new Set(),
          amis: {},
        };
        byName.set(name, entry);
      }
      // Tag names in lower case, as Clouddriver renders them (tag filters match on them).
      entry.tagsByImageId[a.imageId as string] = Object.fromEntries(
        Object.entries((a.tagMap as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      );
      entry.accounts.add(a.account as string);
      (entry.amis[a.region as string] ??= []).push(a.imageId as string);
    }
    return [...byName.values()].map((e) => ({ ...e, accounts: [...e.accounts].sort() })).sort((x, y) => x.imageName.localeCompare(y.imageName));
  }

  /** `GET /networks/aws`: `[{cloudProvider, id, name, account, region, deprecated}]`. */
  async networks(): Promise<Record<string, unknown>[]> {
    return (await cachedAttributes(this.cache, Types.vpcs)).map((a) => ({
      cloudProvider: AWS,
      id: a.vpcId,
      name: (a.tagMap as Record<string, string>)?.Name,
      ...pickFields(a, ['account', 'region']),
      deprecated: false,
    }));
  }

  /** `GET /subnets/aws`: `[{type, id, state, vpcId, cidrBlock, availableIpAddressCount, account, region, availabilityZone, purpose, target, deprecated}]`. */
  async subnets(): Promise<Record<string, unknown>[]> {
    const subnets = await this.cache.getAll(Types.subnets, { relationshipPrefixes: [] });
    return subnets.map((s) => {
      const a = s.attributes;
      let target: string | undefined;
      try {
        target = JSON.parse((a.tagMap as Record<string, string>)?.immutable_metadata ?? '{}').target;
      } catch {
        target = undefined;
      }
      return {
        type: AWS,
        id: a.subnetId,
        state: a.state,
        vpcId: a.vpcId,
        cidrBlock: a.cidrBlock,
        availableIpAddressCount: a.availableIpAddressCount,
        account: a.account,
        accountId: a.ownerId,
        region: a.region,
        availabilityZone: a.availabilityZone,
        purpose: subnetPurpose(s),
        target,
        deprecated: false,
      };
    });
  }

  /** `GET /keyPairs`: `[{cloudProvider, account, region, keyName, keyFingerprint}]`. */
  async keyPairs(): Promise<Record<string, unknown>[]> {
    return (await cachedAttributes(this.cache, Types.keyPairs)).map((a) => ({
      cloudProvider: AWS,
      ...pickFields(a, ['account', 'region', 'keyName', 'keyFingerprint']),
    }));
  }

  /** `GET /instanceTypes`: Clouddriver's `AmazonInstanceType` per account and region. */
  async instanceTypes(): Promise<Record<string, unknown>[]> {
    return cachedAttributes(this.cache, Types.instanceTypes);
  }

  /** `GET /aws/cloudFormation/stacks`: cached stacks, optionally of one account and region. */
  async stacks(filter: { account?: string; region?: string } = {}): Promise<Record<string, unknown>[]> {
    const pattern = `aws:stacks:${filter.account ?? '*'}:${filter.region && filter.region !== '*' ? filter.region : '*'}:*`;
    const ids = await this.cache.filterIdentifiers(Types.stacks, pattern);
    return (await this.cache.getAllByIds(Types.stacks, ids, { relationshipPrefixes: [] })).map((s) => s.attributes);
  }

  /** One cached stack by its id (the stack ARN). */
  async stack(stackId: string): Promise<Record<string, unknown> | undefined> {
    const ids = await this.cache.filterIdentifiers(Types.stacks, `aws:stacks:*:*:${stackId.replace(/[*?[\]]/g, '')}`);
    const found = await this.cache.getAllByIds(
      Types.stacks,
      ids.filter((id) => id.endsWith(`:${stackId}`)),
      { relationshipPrefixes: [] },
    );
    return found[0]?.attributes;
  }
}

/**
 * Clouddriver's name match: a query with glob characters (`*`, `?`, `[`) is a glob over the whole
 * name; any other query matches names containing it. Case-insensitive; `q` is lower case.
 */
function nameMatches(name: string, q: string): boolean {
  const lower = name.toLowerCase();
  if (!/[*?[]/.test(q)) return lower.includes(q);
  const pattern = q
    .replace(/[.+^${}()|\\\]]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(lower);
}

/**
 * Keeps, of each named image, only the images whose tags match every `tag:<name>=<value>` filter
 * (names and values case-insensitive), and drops named images left with none — Clouddriver's
 * filter behind Orca's "Find Image from Tags" stage.
 */
export function filterByTags(images: Record<string, unknown>[], filters: Readonly<Record<string, string>>): Record<string, unknown>[] {
  const wanted = Object.entries(filters).map(([k, v]) => [k.toLowerCase(), v.toLowerCase()] as const);
  if (wanted.length === 0) return images;
  return images.flatMap((image) => {
    const tagsByImageId = image.tagsByImageId as Record<string, Record<string, string>>;
    const kept = Object.fromEntries(Object.entries(tagsByImageId).filter(([, tags]) => wanted.every(([k, v]) => tags[k]?.toLowerCase() === v)));
    const amis = Object.fromEntries(
      Object.entries(image.amis as Record<string, string[]>)
        .map(([region, ids]) => [region, ids.filter((id) => id in kept)] as const)
        .filter(([, ids]) => ids.length > 0),
    );
    return Object.keys(kept).length === 0 || Object.keys(amis).length === 0 ? [] : [{ ...image, tagsByImageId: kept, amis }];
  });
}
