import { parseServerGroupName } from '@stratus/plugin-api';

/** What every parsed key starts with. */
export interface KeyBase {
  readonly provider: string;
  readonly type: string;
}

/** Drops `undefined` and empty values, so parsed keys carry only the fields they have. */
export function compactFields(record: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

/** Splits `<provider>:<type>:<rest…>` into its base and the segments after the type; undefined when not the provider's. */
export function splitKey(key: string, provider: string): { base: KeyBase; parts: string[] } | undefined {
  const parts = key.split(':');
  if (parts.length < 3 || parts[0] !== provider) return undefined;
  return { base: { provider, type: parts[1]! }, parts: parts.slice(2) };
}

/** The fields of a cluster key (`application`, `account`, `cluster`, `name` and the name's stack/detail). */
export function clusterKeyFields(base: KeyBase, account: string, application: string, cluster: string): Record<string, string> {
  const n = parseServerGroupName(cluster);
  return compactFields({ ...base, account, application, cluster, name: cluster, stack: n.stack, detail: n.detail });
}

export interface ServerGroupKeyParts {
  readonly cluster: string;
  readonly account: string;
  readonly region: string;
  readonly serverGroup: string;
  /** A last segment some providers add (GCE's zone of a zonal group). */
  readonly zone?: string | undefined;
}

/**
 * The fields of a server group key, with the application, stack, detail and sequence of its name.
 * `lowerCaseApplication` follows the provider's key format (GCE and Azure lower-case it, AWS not).
 */
export function serverGroupKeyFields(base: KeyBase, parts: ServerGroupKeyParts, lowerCaseApplication: boolean): Record<string, string> {
  const { cluster, account, region, serverGroup, zone } = parts;
  const n = parseServerGroupName(serverGroup);
  const application = lowerCaseApplication ? n.app.toLowerCase() : n.app;
  return compactFields({
    ...base,
    application,
    cluster,
    account,
    region,
    serverGroup,
    name: serverGroup,
    zone,
    stack: n.stack,
    detail: n.detail,
    sequence: n.sequence?.toString(),
  });
}

/**
 * The fields of `<provider>:serverGroups:<cluster>:<account>:<region>:<name>` (every regional cloud's
 * layout), with a last `:<zone>` where `zonal` (GCE's zonal groups); undefined for another segment count.
 */
export function serverGroupSegmentFields(
  base: KeyBase,
  parts: readonly string[],
  options: { readonly lowerCaseApplication: boolean; readonly zonal?: boolean },
): Record<string, string> | undefined {
  if (parts.length !== 4 && !(options.zonal && parts.length === 5)) return undefined;
  const [cluster, account, region, serverGroup, zone] = parts as [string, string, string, string, string | undefined];
  return serverGroupKeyFields(base, { cluster, account, region, serverGroup, zone }, options.lowerCaseApplication);
}

/** The fields of `<provider>:applications:<application>`; undefined for any other segment count. */
export function applicationKeyFields(base: KeyBase, parts: readonly string[]): Record<string, string> | undefined {
  return parts.length === 1 ? { ...base, application: parts[0]!, name: parts[0]! } : undefined;
}

/** The fields of `<provider>:clusters:<account>:<application>:<cluster>` (the account-first layout GCE and Azure use). */
export function accountFirstClusterKeyFields(base: KeyBase, parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== 3) return undefined;
  const [account, application, cluster] = parts as [string, string, string];
  return clusterKeyFields(base, account, application, cluster);
}

/** The fields of `<provider>:instances:<account>:<region>:<name>` (GCE's and Azure's instance keys). */
export function regionalInstanceKeyFields(base: KeyBase, parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== 3) return undefined;
  const [account, region, name] = parts as [string, string, string];
  return { ...base, account, region, name, instanceId: name };
}

/** The fields of `<provider>:loadBalancers:<account>:<region>:<name>`, with the Frigga parts of the name. */
export function regionalLoadBalancerKeyFields(base: KeyBase, parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== 3) return undefined;
  const [account, region, name] = parts as [string, string, string];
  const n = parseServerGroupName(name);
  return compactFields({ ...base, account, region, name, loadBalancer: name, application: n.app, stack: n.stack, detail: n.detail });
}

/**
 * Parses a key of a regional cloud in Clouddriver's account-first layout: applications, clusters,
 * instances and load balancers here, every other type by the cloud's `parseOwn` (`undefined` for a
 * key it does not know).
 */
export function parseRegionalKey(
  key: string,
  provider: string,
  parseOwn: (base: KeyBase, parts: readonly string[]) => Record<string, string> | undefined,
): Record<string, string> | undefined {
  const split = splitKey(key, provider);
  if (!split) return undefined;
  const { base, parts } = split;
  switch (base.type) {
    case 'applications':
      return applicationKeyFields(base, parts);
    case 'clusters':
      return accountFirstClusterKeyFields(base, parts);
    case 'instances':
      return regionalInstanceKeyFields(base, parts);
    case 'loadBalancers':
      return regionalLoadBalancerKeyFields(base, parts);
    default:
      return parseOwn(base, parts);
  }
}
