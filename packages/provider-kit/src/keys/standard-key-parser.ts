import type { KeyParser } from '@stratus/plugin-api';

/** The types `/search` looks through for a cloud provider with Clouddriver's standard namespaces. */
export const STANDARD_SEARCHABLE_TYPES = ['applications', 'clusters', 'serverGroups', 'instances', 'loadBalancers', 'securityGroups'] as const;

/**
 * A key parser for `/search` and permission filtering with Clouddriver's standard URL templates
 * (the links Deck follows from a search result), for a provider whose keys parse into the fields
 * those templates name.
 */
export function standardKeyParser(
  cloudProvider: string,
  parseKey: (key: string) => Record<string, string> | undefined,
  /** Provider-specific types that `/search` should also find (e.g. GCE's `sslCertificates`). */
  extraSearchableTypes: readonly string[] = [],
): KeyParser {
  return {
    cloudProvider,
    parseKey,
    searchableTypes: [...STANDARD_SEARCHABLE_TYPES, ...extraSearchableTypes],
    urlTemplates: {
      serverGroups: `/applications/{application}/clusters/{account}/{cluster}/${cloudProvider}/serverGroups/{serverGroup}?region={region}`,
      clusters: '/applications/{application}/clusters/{account}/{cluster}',
      applications: '/applications/{application}',
      instances: '/instances/{account}/{region}/{instanceId}',
      loadBalancers: `/${cloudProvider}/loadBalancers/{account}/{region}/{loadBalancer}`,
      securityGroups: `/securityGroups/{account}/${cloudProvider}/{region}/{name}`,
    },
  };
}
