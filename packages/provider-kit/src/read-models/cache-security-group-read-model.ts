import type { Cache, CacheData, SecurityGroupReadModel, SecurityGroupView } from '@stratus/plugin-api';

/**
 * Security groups (firewalls, network security groups) from a provider's cache (`securityGroups`
 * type). A provider subclasses it with the glob of an account and region's keys and writes
 * {@link view}: the Clouddriver JSON of one cached item.
 */
export abstract class CacheSecurityGroupReadModel implements SecurityGroupReadModel {
  constructor(
    protected readonly cache: Cache,
    private readonly accountRegionGlob: (account: string, region: string) => string,
  ) {}

  async getAll(includeRules: boolean): Promise<SecurityGroupView[]> {
    return (await this.cache.getAll('securityGroups', { relationshipPrefixes: [] })).map((i) => this.view(i, includeRules));
  }

  /** The group of an account and region whose name or id is `nameOrId`. */
  async get(account: string, region: string, nameOrId: string): Promise<SecurityGroupView | undefined> {
    const ids = await this.cache.filterIdentifiers('securityGroups', this.accountRegionGlob(account, region));
    const items = await this.cache.getAllByIds('securityGroups', ids, { relationshipPrefixes: [] });
    const match = items.find((i) => i.attributes.name === nameOrId || i.attributes.id === nameOrId);
    return match ? this.view(match, true) : undefined;
  }

  /** Clouddriver's view of one cached group (rules only when asked for). */
  protected abstract view(item: CacheData, includeRules: boolean): SecurityGroupView;
}
