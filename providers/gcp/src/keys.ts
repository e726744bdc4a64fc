import type { KeyParser } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { serverGroupSegmentFields, standardKeyParser, standardKeys, standardTypes, parseRegionalKey } from '@stratus/provider-kit';

/** The cloud provider id and cache-key prefix. */
export const GCE = 'gce';

/** The `region` of account-wide resources (firewalls, networks, images, backend services). */
export const GLOBAL = 'global';

/** CATS type names, as Clouddriver's google `Keys.Namespace`. */
export const Types = standardTypes('backendServices', 'networks', 'subnets', 'images', 'sslCertificates');

/**
 * Cache keys, in Clouddriver's google `Keys` formats. GCE names are lower-case letters, digits and
 * dashes, so `:` never needs escaping. Zonal server groups carry their zone as a last segment.
 */
const standard = standardKeys(GCE);

export const Keys = {
  ...standard,
  serverGroup(account: string, region: string, name: string, zone?: string): string {
    return `${standard.serverGroup(account, region, name)}${zone ? `:${zone}` : ''}`;
  },
  backendService(account: string, kind: string, name: string): string {
    return `gce:backendServices:${account}:${kind}:${name}`;
  },
  securityGroup(name: string, id: string, region: string, account: string): string {
    return `gce:securityGroups:${name}:${id}:${region}:${account}`;
  },
  network(name: string, account: string, region: string = GLOBAL): string {
    return `gce:networks:${name}:${account}:${region}`;
  },
  subnet(name: string, account: string, region: string): string {
    return `gce:subnets:${name}:${account}:${region}`;
  },
  image(account: string, imageName: string): string {
    return `gce:images:${account}:${imageName}`;
  },
  sslCertificate(account: string, name: string): string {
    return `gce:sslCertificates:${account}:${name}`;
  },
};

/** Parses GCE keys into named fields (Clouddriver's google `Keys.parse`). */
export function parseKey(key: string): Record<string, string> | undefined {
  return parseRegionalKey(key, GCE, (base, p) => {
    switch (base.type) {
      case Types.serverGroups:
        return serverGroupSegmentFields(base, p, { lowerCaseApplication: true, zonal: true });
      case Types.backendServices: {
        if (p.length !== 3) return undefined;
        const [account, kind, name] = p as [string, string, string];
        return { ...base, account, kind, name };
      }
      case Types.securityGroups: {
        if (p.length !== 4) return undefined;
        const [name, id, region, account] = p as [string, string, string, string];
        return { ...base, application: parseServerGroupName(name).app, name, id, region, account };
      }
      case Types.networks:
      case Types.subnets: {
        if (p.length !== 3) return undefined;
        const [id, account, region] = p as [string, string, string];
        return { ...base, id, name: id, account, region };
      }
      case Types.images:
        return p.length === 2 ? { ...base, account: p[0]!, imageId: p[1]!, name: p[1]! } : undefined;
      case Types.sslCertificates:
        return p.length === 2 ? { ...base, account: p[0]!, name: p[1]! } : undefined;
      default:
        return undefined;
    }
  });
}

/** The provider's key parser for `/search` and permission filtering. */
// sslCertificates: Deck's GCE load balancer dialogs list certificates with `/search?type=sslCertificates`.
export const gceKeyParser: KeyParser = standardKeyParser(GCE, parseKey, [Types.sslCertificates]);
