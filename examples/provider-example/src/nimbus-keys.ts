import type { KeyParser } from '@stratus/plugin-api';
import { parseName } from './names.js';

/** The cloud provider id, cache namespace, config key and key prefix of the Nimbus provider. */
export const NIMBUS = 'nimbus';

/** The CATS types the provider writes. Type names never contain `:` (it separates key fields). */
export const NimbusTypes = {
  applications: 'applications',
  clusters: 'clusters',
  serverGroups: 'serverGroups',
  instances: 'instances',
} as const;

/**
 * Cache keys, in the shapes Clouddriver's AWS provider uses (`<cloudProvider>:<type>:…`), so
 * `/search`, sharding and permission filtering find `account` and `application` in them.
 */
export const NimbusKeys = {
  application: (app: string) => `${NIMBUS}:applications:${app.toLowerCase()}`,
  cluster: (app: string, account: string, cluster: string) => `${NIMBUS}:clusters:${app.toLowerCase()}:${account}:${cluster}`,
  serverGroup: (account: string, region: string, name: string) => `${NIMBUS}:serverGroups:${parseName(name).cluster}:${account}:${region}:${name}`,
  instance: (account: string, region: string, id: string) => `${NIMBUS}:instances:${account}:${region}:${id}`,
  /** Every server group of one account and region: what a region's caching agent owns. */
  serverGroupGlob: (account: string, region: string) => `${NIMBUS}:serverGroups:*:${account}:${region}:*`,
};

/** Parses a Nimbus key into named fields; `undefined` for anything else. */
export function parseNimbusKey(key: string): Record<string, string> | undefined {
  const parts = key.split(':');
  if (parts[0] !== NIMBUS || parts.length < 3) return undefined;
  const base = { provider: NIMBUS, type: parts[1]! };
  switch (parts[1]) {
    case NimbusTypes.applications:
      return parts.length === 3 ? { ...base, application: parts[2]! } : undefined;
    case NimbusTypes.clusters:
      return parts.length === 5 ? { ...base, application: parts[2]!, account: parts[3]!, cluster: parts[4]!, name: parts[4]! } : undefined;
    case NimbusTypes.serverGroups:
      return parts.length === 6
        ? { ...base, application: parseName(parts[5]!).app.toLowerCase(), cluster: parts[2]!, account: parts[3]!, region: parts[4]!, serverGroup: parts[5]!, name: parts[5]! }
        : undefined;
    case NimbusTypes.instances:
      return parts.length === 5 ? { ...base, account: parts[2]!, region: parts[3]!, instanceId: parts[4]!, name: parts[4]! } : undefined;
    default:
      return undefined;
  }
}

/** The key parser the server uses for `/search` and permission filtering. */
export const nimbusKeyParser: KeyParser = {
  cloudProvider: NIMBUS,
  parseKey: parseNimbusKey,
  searchableTypes: [NimbusTypes.applications, NimbusTypes.clusters, NimbusTypes.serverGroups, NimbusTypes.instances],
  urlTemplates: {
    serverGroups: '/serverGroups/{account}/{region}/{serverGroup}?cloudProvider=nimbus',
    instances: '/instances/{account}/{region}/{instanceId}',
  },
};
