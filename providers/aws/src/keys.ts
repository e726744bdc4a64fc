import type { KeyParser } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';
import { applicationKeyFields, clusterKeyFields, compactFields, serverGroupSegmentFields, splitKey, standardKeyParser } from '@stratus/provider-kit';

/** The cloud provider id and cache-key prefix. */
export const AWS = 'aws';

/** CATS type names, as Clouddriver's `Namespace`. */
export const Types = {
  serverGroups: 'serverGroups',
  clusters: 'clusters',
  applications: 'applications',
  instances: 'instances',
  loadBalancers: 'loadBalancers',
  targetGroups: 'targetGroups',
  launchTemplates: 'launchTemplates',
  launchConfigs: 'launchConfigs',
  securityGroups: 'securityGroups',
  vpcs: 'vpcs',
  subnets: 'subnets',
  images: 'images',
  namedImages: 'namedImages',
  keyPairs: 'keyPairs',
  health: 'health',
  instanceTypes: 'instanceTypes',
  stacks: 'stacks',
} as const;

/**
 * Cache keys, exactly as Clouddriver's AWS `Keys` (docs/architecture.md, "Cache keys"). Segments are joined with `:`;
 * names never contain `:` in AWS (ASG, LB and SG names forbid it), so no escaping is needed.
 */
export const Keys = {
  serverGroup(account: string, region: string, asgName: string): string {
    const cluster = parseServerGroupName(asgName).cluster;
    return `aws:serverGroups:${cluster}:${account}:${region}:${asgName}`;
  },
  cluster(application: string, account: string, cluster: string): string {
    return `aws:clusters:${application.toLowerCase()}:${account}:${cluster}`;
  },
  application(application: string): string {
    return `aws:applications:${application.toLowerCase()}`;
  },
  instance(account: string, region: string, instanceId: string): string {
    return `aws:instances:${account}:${region}:${instanceId}`;
  },
  /** `vpcId` and a non-classic `type` are appended, as Clouddriver does. */
  loadBalancer(account: string, region: string, name: string, vpcId?: string, type?: string): string {
    let key = `aws:loadBalancers:${account}:${region}:${name}`;
    if (vpcId) key += `:${vpcId}`;
    if (vpcId && type && type !== 'classic') key += `:${type}`;
    return key;
  },
  targetGroup(account: string, region: string, name: string, targetType: string, vpcId?: string): string {
    return `aws:targetGroups:${account}:${region}:${name}:${targetType}${vpcId ? `:${vpcId}` : ''}`;
  },
  health(instanceId: string, account: string, region: string, provider: string): string {
    return `aws:health:${instanceId}:${account}:${region}:${provider}`;
  },
  image(account: string, region: string, imageId: string): string {
    return `aws:images:${account}:${region}:${imageId}`;
  },
  namedImage(account: string, imageName: string): string {
    return `aws:namedImages:${account}:${imageName}`;
  },
  launchConfig(account: string, region: string, name: string): string {
    return `aws:launchConfigs:${account}:${region}:${name}`;
  },
  launchTemplate(account: string, region: string, name: string): string {
    return `aws:launchTemplates:${account}:${region}:${name}`;
  },
  securityGroup(name: string, groupId: string, region: string, account: string, vpcId?: string): string {
    return `aws:securityGroups:${name}:${groupId}:${region}:${account}:${vpcId ?? ''}`;
  },
  subnet(id: string, account: string, region: string): string {
    return `aws:subnets:${id}:${account}:${region}`;
  },
  vpc(id: string, account: string, region: string): string {
    return `aws:vpcs:${id}:${account}:${region}`;
  },
  keyPair(name: string, account: string, region: string): string {
    return `aws:keyPairs:${name}:${account}:${region}`;
  },
  /** Clouddriver's `getCloudFormationKey`; the stack id is an ARN, so the key is for lookup, not parsing. */
  stack(stackId: string, account: string, region: string): string {
    return `aws:stacks:${account}:${region}:${stackId}`;
  },
  instanceType(name: string, account: string, region: string): string {
    return `aws:instanceTypes:${name}:${account}:${region}`;
  },
};

/** Parses AWS keys into named fields (Clouddriver's `Keys.parse`). */
export function parseKey(key: string): Record<string, string> | undefined {
  const split = splitKey(key, AWS);
  if (!split) return undefined;
  const { base, parts: p } = split;
  const type = base.type;
  switch (type) {
    case Types.serverGroups:
      return serverGroupSegmentFields(base, p, { lowerCaseApplication: false });
    case Types.clusters: {
      if (p.length !== 3) return undefined;
      const [application, account, cluster] = p as [string, string, string];
      return clusterKeyFields(base, account, application, cluster);
    }
    case Types.applications:
      return applicationKeyFields(base, p);
    case Types.instances: {
      if (p.length !== 3) return undefined;
      const [account, region, instanceId] = p as [string, string, string];
      return { ...base, account, region, instanceId, name: instanceId };
    }
    case Types.loadBalancers: {
      if (p.length < 3 || p.length > 5) return undefined;
      const [account, region, loadBalancer, vpcId, loadBalancerType] = p as string[];
      return compactFields({
        ...base,
        account: account!,
        region: region!,
        loadBalancer: loadBalancer!,
        name: loadBalancer!,
        application: parseServerGroupName(loadBalancer!).app,
        vpcId,
        loadBalancerType: loadBalancerType ?? (vpcId ? 'classic' : undefined),
      });
    }
    case Types.targetGroups: {
      if (p.length < 4 || p.length > 5) return undefined;
      const [account, region, targetGroup, targetType, vpcId] = p as string[];
      return compactFields({
        ...base,
        account: account!,
        region: region!,
        targetGroup: targetGroup!,
        name: targetGroup!,
        targetType: targetType!,
        application: parseServerGroupName(targetGroup!).app,
        vpcId,
      });
    }
    case Types.health: {
      if (p.length !== 4) return undefined;
      const [instanceId, account, region, provider] = p as [string, string, string, string];
      return { ...base, instanceId, account, region, provider };
    }
    case Types.images:
    case Types.launchConfigs:
    case Types.launchTemplates: {
      if (p.length !== 3) return undefined;
      const [account, region, id] = p as [string, string, string];
      const field = type === Types.images ? 'imageId' : type === Types.launchConfigs ? 'launchConfig' : 'launchTemplate';
      return { ...base, account, region, [field]: id, name: id };
    }
    case Types.namedImages:
      return p.length === 2 ? { ...base, account: p[0]!, imageName: p[1]!, name: p[1]! } : undefined;
    case Types.securityGroups: {
      if (p.length !== 5) return undefined;
      const [name, id, region, account, vpcId] = p as [string, string, string, string, string];
      return compactFields({ ...base, name, id, region, account, vpcId: vpcId || undefined, application: parseServerGroupName(name).app });
    }
    case Types.subnets:
    case Types.vpcs:
    case Types.instanceTypes:
    case Types.keyPairs: {
      if (p.length !== 3) return undefined;
      const [id, account, region] = p as [string, string, string];
      return type === Types.keyPairs ? { ...base, keyName: id, name: id, account, region } : { ...base, id, name: id, account, region };
    }
    default:
      return undefined;
  }
}

/** The provider's key parser for `/search` and permission filtering. */
export const awsKeyParser: KeyParser = standardKeyParser(AWS, parseKey);
