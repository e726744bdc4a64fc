import type { PlainFirewall } from '../compute-types.js';
import type { Cache, CacheData, SecurityGroupView } from '@stratus/plugin-api';
import { CacheSecurityGroupReadModel, securityGroupViewFields } from '@stratus/provider-kit';
import { GCE, GLOBAL } from '../keys.js';

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
export class GceSecurityGroupReadModel extends CacheSecurityGroupReadModel {
  /** Firewalls are global: the `region` asked for (normally `global`) is not needed to find one. */
  constructor(cache: Cache) {
    super(cache, (account) => `gce:securityGroups:*:*:${GLOBAL}:${account}`);
  }

  protected view(item: CacheData, includeRules: boolean): SecurityGroupView {
    const a = item.attributes;
    // The caching agent stores the firewall as `toPlain` made it.
    const f: PlainFirewall = (a.firewall as PlainFirewall | undefined) ?? {};
    const name = a.name as string;
    const base = {
      ...securityGroupViewFields({ cloudProvider: GCE, id: name, name, account: a.account as string, region: GLOBAL }),
      gceId: a.id,
      network: a.network,
      vpcId: a.network,
      description: f.description,
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
