import type { KeyParser } from '@stratus/plugin-api';

/** Clouddriver's Kubernetes key prefix (`Keys.java`). */
export const KUBERNETES_PROVIDER = 'kubernetes.v2';
export const APPLICATIONS_TYPE = 'applications';
export const CLUSTERS_TYPE = 'clusters';

/** `:` inside a key part becomes `;`, so parts never break the key apart. */
const escape = (part: string) => part.replace(/:/g, ';');
const unescape = (part: string) => part.replace(/;/g, ':');

export function infrastructureKey(cacheType: string, account: string, namespace: string, name: string): string {
  return `${KUBERNETES_PROVIDER}:infrastructure:${escape(cacheType)}:${escape(account)}:${escape(namespace)}:${escape(name)}`;
}

export function applicationKey(application: string): string {
  return `${KUBERNETES_PROVIDER}:logical:${APPLICATIONS_TYPE}:${escape(application)}`;
}

export function clusterKey(account: string, application: string, cluster: string): string {
  return `${KUBERNETES_PROVIDER}:logical:${CLUSTERS_TYPE}:${escape(account)}:${escape(application)}:${escape(cluster)}`;
}

export interface ParsedInfrastructureKey {
  readonly kind: string;
  readonly account: string;
  readonly namespace: string;
  readonly name: string;
}

export function parseInfrastructureKey(key: string): ParsedInfrastructureKey | undefined {
  const parts = key.split(':');
  if (parts.length !== 6 || parts[0] !== KUBERNETES_PROVIDER || parts[1] !== 'infrastructure') return undefined;
  return { kind: unescape(parts[2]!), account: unescape(parts[3]!), namespace: unescape(parts[4]!), name: unescape(parts[5]!) };
}

/** Parses every Kubernetes key into named fields for `/search` and permission filtering. */
export const kubernetesKeyParser: KeyParser = {
  cloudProvider: 'kubernetes',
  searchableTypes: [APPLICATIONS_TYPE, CLUSTERS_TYPE, 'deployment', 'replicaSet', 'statefulSet', 'daemonSet', 'pod', 'service', 'ingress'],
  parseKey(key: string): Record<string, string> | undefined {
    const parts = key.split(':');
    if (parts[0] !== KUBERNETES_PROVIDER) return undefined;
    if (parts[1] === 'infrastructure') {
      const parsed = parseInfrastructureKey(key);
      return (
        parsed && {
          provider: 'kubernetes',
          type: parsed.kind,
          kind: parsed.kind,
          account: parsed.account,
          namespace: parsed.namespace,
          region: parsed.namespace,
          name: parsed.name,
        }
      );
    }
    if (parts[1] === 'logical' && parts[2] === APPLICATIONS_TYPE && parts.length === 4) {
      return { provider: 'kubernetes', type: APPLICATIONS_TYPE, application: unescape(parts[3]!), name: unescape(parts[3]!) };
    }
    if (parts[1] === 'logical' && parts[2] === CLUSTERS_TYPE && parts.length === 6) {
      return {
        provider: 'kubernetes',
        type: CLUSTERS_TYPE,
        account: unescape(parts[3]!),
        application: unescape(parts[4]!),
        cluster: unescape(parts[5]!),
        name: unescape(parts[5]!),
      };
    }
    return undefined;
  },
};
