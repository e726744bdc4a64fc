import type { KeyParser } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { serverGroupSegmentFields, standardKeyParser, standardKeys, standardTypes, parseRegionalKey } from '@stratus/provider-kit';

/** The cloud provider id and cache-key prefix. */
export const AZURE = 'azure';

/** CATS type names, as Clouddriver's azure `Keys.Namespace`. */
export const Types = standardTypes('networks', 'subnets', 'images');

/**
 * Cache keys. Azure names may not contain `:` (ARM rejects it), so no escaping is needed. Resource
 * group names are part of the security group, network and subnet keys because names are unique only
 * within a resource group.
 */
export const Keys = {
  ...standardKeys(AZURE),
  securityGroup(name: string, resourceGroup: string, region: string, account: string): string {
    return `azure:securityGroups:${name}:${resourceGroup}:${region}:${account}`;
  },
  network(name: string, resourceGroup: string, account: string, region: string): string {
    return `azure:networks:${name}:${resourceGroup}:${account}:${region}`;
  },
  subnet(name: string, network: string, account: string, region: string): string {
    return `azure:subnets:${name}:${network}:${account}:${region}`;
  },
  /** A managed (custom) image, as Clouddriver's custom VM image keys: account, region, name. */
  image(account: string, region: string, name: string): string {
    return `azure:images:${account}:${region}:${name}`;
  },
};

/** Parses Azure keys into named fields. */
export function parseKey(key: string): Record<string, string> | undefined {
  return parseRegionalKey(key, AZURE, (base, p) => {
    switch (base.type) {
      case Types.serverGroups:
        return serverGroupSegmentFields(base, p, { lowerCaseApplication: true });
      case Types.securityGroups: {
        if (p.length !== 4) return undefined;
        const [name, resourceGroup, region, account] = p as [string, string, string, string];
        return { ...base, application: parseServerGroupName(name).app, name, id: name, resourceGroup, region, account };
      }
      case Types.networks: {
        if (p.length !== 4) return undefined;
        const [name, resourceGroup, account, region] = p as [string, string, string, string];
        return { ...base, id: name, name, resourceGroup, account, region };
      }
      case Types.subnets: {
        if (p.length !== 4) return undefined;
        const [name, network, account, region] = p as [string, string, string, string];
        return { ...base, id: name, name, network, account, region };
      }
      case Types.images: {
        if (p.length !== 3) return undefined;
        const [account, region, name] = p as [string, string, string];
        return { ...base, account, region, name, imageName: name };
      }
      default:
        return undefined;
    }
  });
}

/** The provider's key parser for `/search` and permission filtering. */
export const azureKeyParser: KeyParser = standardKeyParser(AZURE, parseKey);
