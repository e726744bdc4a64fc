import type { KeyParser } from '@stratus/plugin-api';
import { parseServerGroupName } from '@stratus/plugin-api';

/** The cloud provider id and key prefix of the synthetic provider. */
export const SYNTHETIC = 'synthetic';

/** CATS type names used by the synthetic provider (Clouddriver's `Namespace`). */
export const SyntheticTypes = {
  applications: 'applications',
  clusters: 'clusters',
  serverGroups: 'serverGroups',
  instances: 'instances',
  loadBalancers: 'loadBalancers',
  securityGroups: 'securityGroups',
  onDemand: 'onDemand',
} as const;

/**
 * Cache keys in the AWS formats (docs/architecture.md, "Cache keys"), with `synthetic` as the provider segment.
 * Application names are lower-cased in keys, as AWS does.
 */
export const SyntheticKeys = {
  application: (app: string) => `${SYNTHETIC}:applications:${app.toLowerCase()}`,
  cluster: (app: string, account: string, cluster: string) => `${SYNTHETIC}:clusters:${app.toLowerCase()}:${account}:${cluster}`,
  serverGroup: (account: string, region: string, name: string) =>
    `${SYNTHETIC}:serverGroups:${parseServerGroupName(name).cluster}:${account}:${region}:${name}`,
  instance: (account: string, region: string, id: string) => `${SYNTHETIC}:instances:${account}:${region}:${id}`,
  loadBalancer: (account: string, region: string, name: string) => `${SYNTHETIC}:loadBalancers:${account}:${region}:${name}`,
  securityGroup: (account: string, region: string, name: string, id: string, vpcId: string) =>
    `${SYNTHETIC}:securityGroups:${name}:${id}:${region}:${account}:${vpcId}`,
  /** The glob of every server group of one account and region (the cluster agent's key pattern). */
  serverGroupGlob: (account: string, region: string) => `${SYNTHETIC}:serverGroups:*:${account}:${region}:*`,
  instanceGlob: (account: string, region: string) => `${SYNTHETIC}:instances:${account}:${region}:*`,
  loadBalancerGlob: (account: string, region: string) => `${SYNTHETIC}:loadBalancers:${account}:${region}:*`,
  securityGroupGlob: (account: string, region: string) => `${SYNTHETIC}:securityGroups:*:*:${region}:${account}:*`,
  clusterGlob: (account: string) => `${SYNTHETIC}:clusters:*:${account}:*`,
};

/** Parses a synthetic key into named fields (`provider`, `type`, `account`, `region`, …); undefined when it is not one. */
export function parseSyntheticKey(key: string): Record<string, string> | undefined {
  const parts = key.split(':');
  if (parts[0] !== SYNTHETIC || parts.length < 3) return undefined;
  const base = { provider: SYNTHETIC, type: parts[1]! };
  switch (parts[1]) {
    case 'applications':
      return parts.length === 3 ? { ...base, application: parts[2]! } : undefined;
    case 'clusters': {
      if (parts.length !== 5) return undefined;
      const name = parseServerGroupName(parts[4]!);
      return { ...base, application: parts[2]!, account: parts[3]!, cluster: parts[4]!, ...optional({ stack: name.stack, detail: name.detail }) };
    }
    case 'serverGroups': {
      if (parts.length !== 6) return undefined;
      const name = parseServerGroupName(parts[5]!);
      return {
        ...base,
        application: name.app.toLowerCase(),
        cluster: parts[2]!,
        account: parts[3]!,
        region: parts[4]!,
        serverGroup: parts[5]!,
        ...optional({ stack: name.stack, detail: name.detail, sequence: name.sequence?.toString() }),
      };
    }
    case 'instances':
      return parts.length === 5 ? { ...base, account: parts[2]!, region: parts[3]!, instanceId: parts[4]! } : undefined;
    case 'loadBalancers': {
      if (parts.length !== 5) return undefined;
      const name = parseServerGroupName(parts[4]!);
      return { ...base, account: parts[2]!, region: parts[3]!, loadBalancer: parts[4]!, application: name.app.toLowerCase() };
    }
    case 'securityGroups': {
      if (parts.length !== 7) return undefined;
      return {
        ...base,
        securityGroup: parts[2]!,
        name: parts[2]!,
        id: parts[3]!,
        region: parts[4]!,
        account: parts[5]!,
        vpcId: parts[6]!,
        application: parseServerGroupName(parts[2]!).app.toLowerCase(),
      };
    }
    default:
      return undefined;
  }
}

function optional(fields: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) out[name] = value;
  return out;
}

/** The synthetic provider's key parser: search types and the URL templates Deck follows (AWS's). */
export const syntheticKeyParser: KeyParser = {
  cloudProvider: SYNTHETIC,
  parseKey: parseSyntheticKey,
  searchableTypes: ['applications', 'clusters', 'serverGroups', 'instances', 'loadBalancers', 'securityGroups'],
  urlTemplates: {
    applications: '/applications/{application}',
    clusters: '/applications/{application}/clusters/{account}/{cluster}',
    serverGroups: '/applications/{application}/clusters/{account}/{cluster}/{provider}/serverGroups/{serverGroup}?region={region}',
    instances: '/instances/{account}/{region}/{instanceId}',
    loadBalancers: '/{provider}/loadBalancers/{loadBalancer}',
    securityGroups: '/securityGroups/{account}/{provider}/{region}/{id}',
  },
};
