import type { PlainSecurityRule } from '../azure-types.js';
import type { Cache, CacheData, SecurityGroupView } from '@stratus/plugin-api';
import { CacheSecurityGroupReadModel, securityGroupViewFields } from '@stratus/provider-kit';
import { AZURE } from '../keys.js';

/** `"80"`, `"8000-8080"` or `"*"` → `{startPort, endPort}`. */
function portRange(port: string | undefined): { startPort: number; endPort: number } {
  if (!port || port === '*') return { startPort: 1, endPort: 65535 };
  const [start, end] = port.split('-').map(Number) as [number, number | undefined];
  return { startPort: start, endPort: end ?? start };
}

/** `10.0.0.0/8` → `{ip, cidr}`; a tag such as `Internet` or `*` stays whole. */
function range(prefix: string | undefined): Record<string, string> {
  if (!prefix || !/^[\d.]+(\/\d+)?$/.test(prefix)) return { ip: prefix ?? '*', cidr: '' };
  const [ip, bits] = prefix.split('/') as [string, string | undefined];
  return { ip, cidr: `/${bits ?? '32'}` };
}

/** Network security groups in Clouddriver's `AzureSecurityGroup` shape (its `securityRules`, and `inboundRules` Deck lists). */
export class AzureSecurityGroupReadModel extends CacheSecurityGroupReadModel {
  constructor(cache: Cache) {
    super(cache, (account, region) => `azure:securityGroups:*:*:${region}:${account}`);
  }

  protected view(item: CacheData, includeRules: boolean): SecurityGroupView {
    const a = item.attributes;
    const name = a.name as string;
    const base = {
      ...securityGroupViewFields({ cloudProvider: AZURE, id: name, name, account: a.account as string, region: a.region as string }),
      azureId: a.id,
      resourceGroup: a.resourceGroup,
      provisioningState: a.provisioningState,
      tags: a.tags ?? {},
      summary: { id: name, name },
    };
    if (!includeRules) return base;
    // The caching agent stores the rules as `toPlain` made them.
    const rules = ((a.securityRules as PlainSecurityRule[] | undefined) ?? []).map((r) => ({
      name: r.name,
      description: r.description,
      access: r.access,
      priority: r.priority,
      protocol: r.protocol,
      direction: r.direction,
      sourceAddressPrefix: r.sourceAddressPrefix,
      sourcePortRange: r.sourcePortRange,
      destinationAddressPrefix: r.destinationAddressPrefix,
      destinationPortRange: r.destinationPortRange,
    }));
    const toRule = (r: (typeof rules)[number], prefix: 'sourceAddressPrefix' | 'destinationAddressPrefix') => ({
      protocol: String(r.protocol ?? '*').toLowerCase(),
      access: r.access,
      priority: r.priority,
      portRanges: [portRange(r.destinationPortRange)],
      range: range(r[prefix]),
    });
    return {
      ...base,
      securityRules: rules,
      inboundRules: rules.filter((r) => r.direction === 'Inbound').map((r) => toRule(r, 'sourceAddressPrefix')),
      outboundRules: rules.filter((r) => r.direction === 'Outbound').map((r) => toRule(r, 'destinationAddressPrefix')),
    };
  }
}
