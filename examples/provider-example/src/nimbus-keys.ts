import type { KeyParser } from '@stratus/plugin-api';
import { splitKey } from '@stratus/provider-kit';
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
  // `@stratus/provider-kit` splits `<provider>:<type>:…`; `p` are the segments after the type.
  const split = splitKey(key, NIMBUS);
  if (!split) return undefined;
  const { base, parts: p } = split;
  switch (base.type) {
    case NimbusTypes.applications:
      return p.length === 1 ? { ...base, application: p[0]! } : undefined;
    case NimbusTypes.clusters:
      return p.length === 3 ? { ...base, application: p[0]!, account: p[1]!, cluster: p[2]!, name: p[2]! } : undefined;
    case NimbusTypes.serverGroups:
      return p.length === 4
        ? { ...base, application: parseName(p[3]!).app.toLowerCase(), cluster: p[0]!, account: p[1]!, region: p[2]!, serverGroup: p[3]!, name: p[3]! }
        : undefined;
    case NimbusTypes.instances:
      return p.length === 3 ? { ...base, account: p[0]!, region: p[1]!, instanceId: p[2]!, name: p[2]! } : undefined;
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
