import { parseServerGroupName } from '@stratus/plugin-api';

/** Clouddriver's standard CATS type names, which the shared read models and cleanup agent read. */
export const STANDARD_TYPES = {
  applications: 'applications',
  clusters: 'clusters',
  serverGroups: 'serverGroups',
  instances: 'instances',
  loadBalancers: 'loadBalancers',
  securityGroups: 'securityGroups',
} as const;

/**
 * A cloud's CATS type names (Clouddriver's `Keys.Namespace`): {@link STANDARD_TYPES} and the cloud's
 * own, each named by itself (`Types.networks === 'networks'`).
 */
export function standardTypes<const N extends string>(...own: readonly N[]): typeof STANDARD_TYPES & { readonly [K in N]: K } {
  return { ...STANDARD_TYPES, ...(Object.fromEntries(own.map((type) => [type, type])) as { readonly [K in N]: K }) };
}

/** The key builders {@link standardKeys} returns. */
export interface StandardKeys {
  application(application: string): string;
  cluster(account: string, application: string, cluster: string): string;
  serverGroup(account: string, region: string, name: string): string;
  instance(account: string, region: string, name: string): string;
  loadBalancer(account: string, region: string, name: string): string;
}

/**
 * Cache keys in the account-first layout Clouddriver's google and azure `Keys` share:
 * `<p>:applications:<app>`, `<p>:clusters:<account>:<app>:<cluster>`,
 * `<p>:serverGroups:<cluster>:<account>:<region>:<name>`, `<p>:instances:<account>:<region>:<name>`,
 * `<p>:loadBalancers:<account>:<region>:<name>`. Application names are lower-cased. Segments are
 * not escaped: use it only where names cannot contain `:`.
 */
export function standardKeys(provider: string): StandardKeys {
  return {
    application: (application) => `${provider}:applications:${application.toLowerCase()}`,
    cluster: (account, application, cluster) => `${provider}:clusters:${account}:${application.toLowerCase()}:${cluster}`,
    serverGroup: (account, region, name) => `${provider}:serverGroups:${parseServerGroupName(name).cluster}:${account}:${region}:${name}`,
    instance: (account, region, name) => `${provider}:instances:${account}:${region}:${name}`,
    loadBalancer: (account, region, name) => `${provider}:loadBalancers:${account}:${region}:${name}`,
  };
}
