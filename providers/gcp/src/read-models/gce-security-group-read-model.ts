import type { Cache, CacheData, SecurityGroupReadModel, SecurityGroupView } from '@stratus/plugin-api';
import { monikerOf, parseServerGroupName } from '@stratus/plugin-api';
import { GCE, GLOBAL, Types } from '../keys.js';

interface Allowed {
  IPProtocol?: string;
  ports?: string[];
}

/** `"80"` or `"8000-8080"` → `{startPort, endPort}`; no ports = every port. */
function portRange(port: string | undefined): { startPort: number; endPort: number } {
  if (!port) return { startPort: 1, endPort: 65535 };
  const [start, end] = port.split('-').map(Number) as [number, number | undefined];
  return { startPort: start, endPort: end ?? start };
}

/** Firewalls in Clouddriver's `GoogleSecurityGroup` shape (`inboundRules` per source range, with port ranges). */
export class GceSecurityGroupReadModel implements SecurityGroupReadModel {
  constructor(private readonly cache: Cache) {}

  async getAll(includeRules: boolean): Promise<SecurityGroupView[]> {
    return (await this.cache.getAll(Types.securityGroups, { relationshipPrefixes: [] })).map((i) => this.view(i, includeRules));
  }

  /** Firewalls are global: `region` is normally `global` and is not needed to find one. */
  async get(account: string, _region: string, nameOrId: string): Promise<SecurityGroupView | undefined> {
    const ids = await this.cache.filterIdentifiers(Types.securityGroups, `gce:securityGroups:*:*:${GLOBAL}:${account}`);
    const items = await this.cache.getAllByIds(Types.securityGroups, ids, { relationshipPrefixes: [] });
    const match = items.find((i) => i.attributes.name === nameOrId || i.attributes.id === nameOrId);
    return match ? this.view(match, true) : undefined;
  }

  private view(item: CacheData, includeRules: boolean): SecurityGroupView {
    const a = item.attributes;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- compute/v1 JSON (toPlain of an @google-cloud/compute object) read field by field; a typed Plain<T> is left for the provider kit (issue 17)
    const f = (a.firewall as Record<string, any>) ?? {};
    const name = a.name as string;
    const base = {
      type: GCE,
      cloudProvider: GCE,
      id: name,
      gceId: a.id,
      name,
      network: a.network,
      vpcId: a.network,
      description: f.description,
      accountName: a.account as string,
      region: GLOBAL,
      application: parseServerGroupName(name).app,
      moniker: monikerOf(name) as SecurityGroupView['moniker'],
      targetTags: f.targetTags ?? [],
      sourceTags: f.sourceTags ?? [],
      sourceRanges: f.sourceRanges ?? [],
      direction: f.direction ?? 'INGRESS',
      priority: f.priority,
      selfLink: f.selfLink,
      summary: { id: name, name, network: a.network },
    };
    if (!includeRules) return base;
    const allowed = (f.allowed as Allowed[]) ?? [];
    const ranges: string[] = f.sourceRanges ?? [];
    const inboundRules = ranges.flatMap((cidr) =>
      allowed.map((rule) => ({
        protocol: rule.IPProtocol ?? 'all',
        portRanges: (rule.ports?.length ? rule.ports : [undefined]).map(portRange),
        range: { ip: cidr.split('/')[0], cidr: `/${cidr.split('/')[1] ?? '32'}` },
      })),
    );
    return { ...base, inboundRules, outboundRules: [] };
  }
}
