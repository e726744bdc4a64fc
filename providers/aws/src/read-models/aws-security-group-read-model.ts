import type { Cache, CacheData, SecurityGroupReadModel, SecurityGroupView } from '@stratus/plugin-api';
import { definedOnly, securityGroupViewFields } from '@stratus/provider-kit';
import { AWS, Types } from '../keys.js';

interface IpPermission {
  ipProtocol?: string;
  fromPort?: number;
  toPort?: number;
  ipRanges?: { cidrIp?: string }[];
  ipv6Ranges?: { cidrIpv6?: string }[];
  userIdGroupPairs?: { groupId?: string; groupName?: string; userId?: string; vpcId?: string }[];
}

/** Clouddriver's AWS `SecurityGroup` JSON (`inboundRules` grouped by source, each with port ranges). */
export class AwsSecurityGroupReadModel implements SecurityGroupReadModel {
  constructor(private readonly cache: Cache) {}

  async getAll(includeRules: boolean): Promise<SecurityGroupView[]> {
    const items = await this.cache.getAll(Types.securityGroups, { relationshipPrefixes: [] });
    const nameById = this.nameIndex(items);
    return items.map((i) => this.view(i, includeRules, nameById));
  }

  async get(account: string, region: string, nameOrId: string, vpcId?: string): Promise<SecurityGroupView | undefined> {
    const ids = await this.cache.filterIdentifiers(Types.securityGroups, `aws:securityGroups:*:*:${region}:${account}:*`);
    const candidates = await this.cache.getAllByIds(Types.securityGroups, ids, { relationshipPrefixes: [] });
    const match = candidates.find(
      (i) => (i.attributes.groupName === nameOrId || i.attributes.groupId === nameOrId) && (vpcId === undefined || i.attributes.vpcId === vpcId),
    );
    return match ? this.view(match, true, this.nameIndex(candidates)) : undefined;
  }

  private nameIndex(items: readonly CacheData[]): Map<string, string> {
    return new Map(items.map((i) => [i.attributes.groupId as string, i.attributes.groupName as string]));
  }

  private view(item: CacheData, includeRules: boolean, nameById: Map<string, string>): SecurityGroupView {
    const a = item.attributes;
    const name = a.groupName as string;
    const base = {
      ...securityGroupViewFields({ cloudProvider: AWS, id: a.groupId as string, name, account: a.account as string, region: a.region as string }),
      vpcId: a.vpcId,
      description: a.description,
      accountId: a.ownerId,
      tags: a.tagMap,
      summary: { id: a.groupId, name, vpcId: a.vpcId },
    };
    if (!includeRules) return base;
    return {
      ...base,
      inboundRules: this.rules((a.ipPermissions as IpPermission[]) ?? [], a, nameById),
      outboundRules: this.rules((a.ipPermissionsEgress as IpPermission[]) ?? [], a, nameById),
    };
  }

  private rules(permissions: readonly IpPermission[], a: Record<string, unknown>, nameById: Map<string, string>): Record<string, unknown>[] {
    const bySource = new Map<string, Record<string, unknown> & { portRanges: { startPort?: number; endPort?: number }[] }>();
    const add = (key: string, make: () => Record<string, unknown>, p: IpPermission) => {
      let rule = bySource.get(key);
      if (!rule) bySource.set(key, (rule = { ...make(), portRanges: [] }));
      rule.portRanges.push(definedOnly({ startPort: p.fromPort, endPort: p.toPort }));
    };
    for (const p of permissions) {
      const protocol = p.ipProtocol === '-1' ? 'all' : p.ipProtocol;
      for (const pair of p.userIdGroupPairs ?? []) {
        add(
          `sg:${pair.groupId}:${protocol}`,
          () => ({
            protocol,
            securityGroup: {
              type: AWS,
              id: pair.groupId,
              name: pair.groupName ?? nameById.get(pair.groupId ?? ''),
              accountId: pair.userId,
              accountName: a.account,
              region: a.region,
              vpcId: pair.vpcId ?? a.vpcId,
            },
          }),
          p,
        );
      }
      for (const range of p.ipRanges ?? [])
        add(`ip:${range.cidrIp}:${protocol}`, () => ({ protocol, range: { ip: range.cidrIp?.split('/')[0], cidr: `/${range.cidrIp?.split('/')[1]}` } }), p);
      for (const range of p.ipv6Ranges ?? [])
        add(
          `ip6:${range.cidrIpv6}:${protocol}`,
          () => ({ protocol, range: { ip: range.cidrIpv6?.split('/')[0], cidr: `/${range.cidrIpv6?.split('/')[1]}` } }),
          p,
        );
    }
    return [...bySource.values()];
  }
}
