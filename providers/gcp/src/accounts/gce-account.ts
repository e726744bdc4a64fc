import { accountFields, type CloudAccount } from '@stratus/provider-kit';
import { parseConsulConfig } from '../ops/consul-config.js';

export interface GceRegion {
  readonly name: string;
  /** Zones to use; discovered from the API (`regions.get`) when empty. */
  readonly zones: readonly string[];
  readonly [key: string]: unknown;
}

/** One `google.accounts[]` entry after validation (Clouddriver's `GoogleNamedAccountCredentials`, trimmed). */
export interface GceAccount extends CloudAccount<'gce', GceRegion> {
  readonly project: string;
  /** Path of a service-account JSON key file. */
  readonly jsonPath?: string;
  /** The service-account JSON key itself. */
  readonly jsonKey?: string;
  /**
   * A ready OAuth access token, used as is and never refreshed (for development against a fake or an
   * emulator; no token endpoint is contacted).
   */
  readonly accessToken?: string;
  /** Base URL of the compute API (`http://127.0.0.1:PORT` for a fake); Google's when absent. */
  readonly endpoint?: string;
  /** Other projects whose images deploys may use (e.g. `debian-cloud`). */
  readonly imageProjects: readonly string[];
  /** Milliseconds a single API call may take. */
  readonly timeoutMs: number;
}

const DEFAULT_REGION = 'us-central1';
const NAME = /^[a-zA-Z0-9_.-]+$/;
/** GCE project ids: 6–30 lower-case letters, digits and dashes, starting with a letter (legacy ids may contain `:` and `.`). */
const PROJECT = /^[a-z][-a-z0-9:.]{4,61}[a-z0-9]$/;

const { fail, str, permissions: parsePermissions, endpoint: endpointOf, regions: regionsOf, entry } = accountFields('google');

function parseRegions(value: unknown, field: string): GceRegion[] {
  if (!Array.isArray(value)) return fail(field, 'must be a list of regions');
  return value.map((entry, index) => {
    const region = typeof entry === 'string' ? { name: entry } : (entry as Record<string, unknown>);
    if (typeof region !== 'object' || region === null || typeof region.name !== 'string' || !/^[a-z]+-[a-z]+\d+$/.test(region.name)) {
      return fail(`${field}[${index}].name`, 'must be a GCE region name such as us-central1');
    }
    const zones = region.zones ?? [];
    if (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string' || !z.startsWith(`${region.name}-`))) {
      return fail(`${field}[${index}].zones`, `must be a list of zones of ${region.name}`);
    }
    return { ...region, name: region.name, zones: zones as string[] };
  });
}

/**
 * Validates one raw `google.accounts[]` entry. `defaults` is the `google:` block: `defaultRegions`
 * fill in missing regions and `endpoint` a missing endpoint.
 */
export function parseGceAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): GceAccount {
  const name = str(raw, 'name', true)!;
  if (!NAME.test(name)) fail('name', `must match [a-zA-Z0-9_.-]+ (got '${name}')`);
  const project = str(raw, 'project', true)!;
  if (!PROJECT.test(project)) fail('project', `must be a GCE project id (got '${project}')`);
  const jsonPath = str(raw, 'jsonPath');
  const jsonKey = str(raw, 'jsonKey');
  if (jsonPath && jsonKey) fail('jsonKey', "and 'jsonPath' are exclusive: give one");
  if (jsonKey) {
    try {
      const parsed = JSON.parse(jsonKey) as Record<string, unknown>;
      if (typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string')
        fail('jsonKey', 'must be a service-account key with client_email and private_key');
    } catch (error) {
      if (error instanceof SyntaxError) fail('jsonKey', 'must be JSON');
      throw error;
    }
  }
  const regions = regionsOf(raw, defaults, parseRegions, { name: DEFAULT_REGION, zones: [] });
  const endpoint = endpointOf(raw, defaults, ['http:', 'https:'], 'an http(s) base URL such as http://127.0.0.1:8085');
  const imageProjects = raw.imageProjects ?? [];
  if (!Array.isArray(imageProjects) || imageProjects.some((p) => typeof p !== 'string')) fail('imageProjects', 'must be a list of project ids');
  const timeoutSeconds = raw.timeoutSeconds ?? defaults.timeoutSeconds ?? 60;
  if (typeof timeoutSeconds !== 'number' || !(timeoutSeconds > 0)) fail('timeoutSeconds', 'must be a positive number');
  const permissions = parsePermissions(raw.permissions);
  parseConsulConfig(raw.consul); // fails the account's load on a malformed block; operations read it again
  const fields = {
    project,
    regions,
    imageProjects: imageProjects as string[],
    timeoutMs: (timeoutSeconds as number) * 1000,
    ...(jsonPath !== undefined ? { jsonPath } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(permissions ? { permissions } : {}),
  };
  return entry(raw, { name, cloudProvider: 'gce' }, fields, { jsonKey, accessToken: str(raw, 'accessToken') });
}
