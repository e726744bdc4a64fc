import type { KeyParser } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';

/** The cloud provider id and cache-key prefix. */
export const AZURE = 'azure';

/** CATS type names, as Clouddriver's azure `Keys.Namespace`. */
export const Types = {
  applications: 'applications',
  clusters: 'clusters',
  serverGroups: 'serverGroups',
  instances: 'instances',
  loadBalancers: 'loadBalancers',
  securityGroups: 'securityGroups',
  networks: 'networks',
  subnets: 'subnets',
  images: 'images',
} as const;

/**
 * Cache keys. Azure names may not contain `:` (ARM rejects it), so no escaping is needed. Resource
 * group names are part of the security group, network and subnet keys because names are unique only
 * within a resource group.
 */
export const Keys = {
  application(application: string): string {
    return `azure:applications:${application.toLowerCase()}`;
  },
  cluster(account: string, application: string, cluster: string): string {
    return `azure:clusters:${account}:${application.toLowerCase()}:${cluster}`;
  },
  serverGroup(account: string, region: string, name: string): string {
    return `azure:serverGroups:${parseServerGroupName(name).cluster}:${account}:${region}:${name}`;
  },
  instance(account: string, region: string, name: string): string {
    return `azure:instances:${account}:${region}:${name}`;
  },
  loadBalancer(account: string, region: string, name: string): string {
    return `azure:loadBalancers:${account}:${region}:${name}`;
  },
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
  const parts = key.split(':');
  if (parts.length < 3 || parts[0] !== AZURE) return undefined;
  const type = parts[1]!;
  const base = { provider: AZURE, type };
  const p = parts.slice(2);
  switch (type) {
    case Types.applications:
      return p.length === 1 ? { ...base, application: p[0]!, name: p[0]! } : undefined;
    case Types.clusters: {
      if (p.length !== 3) return undefined;
      const [account, application, cluster] = p as [string, string, string];
      const n = parseServerGroupName(cluster);
      return compact({ ...base, account, application, cluster, name: cluster, stack: n.stack, detail: n.detail });
    }
    case Types.serverGroups: {
      if (p.length !== 4) return undefined;
      const [cluster, account, region, serverGroup] = p as [string, string, string, string];
      const n = parseServerGroupName(serverGroup);
      return compact({ ...base, application: n.app.toLowerCase(), cluster, account, region, serverGroup, name: serverGroup, stack: n.stack, detail: n.detail, sequence: n.sequence?.toString() });
    }
    case Types.instances: {
      if (p.length !== 3) return undefined;
      const [account, region, name] = p as [string, string, string];
      return { ...base, account, region, name, instanceId: name };
    }
    case Types.loadBalancers: {
      if (p.length !== 3) return undefined;
      const [account, region, name] = p as [string, string, string];
      const n = parseServerGroupName(name);
      return compact({ ...base, account, region, name, loadBalancer: name, application: n.app, stack: n.stack, detail: n.detail });
    }
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
}

function compact(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** The provider's key parser for `/search` and permission filtering. */
export const azureKeyParser: KeyParser = {
  cloudProvider: AZURE,
  parseKey,
  searchableTypes: [Types.applications, Types.clusters, Types.serverGroups, Types.instances, Types.loadBalancers, Types.securityGroups],
  urlTemplates: {
    serverGroups: '/applications/{application}/clusters/{account}/{cluster}/azure/serverGroups/{serverGroup}?region={region}',
    clusters: '/applications/{application}/clusters/{account}/{cluster}',
    applications: '/applications/{application}',
    instances: '/instances/{account}/{region}/{instanceId}',
    loadBalancers: '/azure/loadBalancers/{account}/{region}/{loadBalancer}',
    securityGroups: '/securityGroups/{account}/azure/{region}/{name}',
  },
};
