import { accountFields, definedOnly, type CloudAccount } from '@stratus/provider-kit';

export interface AwsRegion {
  readonly name: string;
  readonly availabilityZones: readonly string[];
  readonly [key: string]: unknown;
}

/** One `aws.accounts[]` entry after validation (Clouddriver's `NetflixAmazonCredentials`, trimmed). */
export interface AwsAccount extends CloudAccount<'aws', AwsRegion> {
  readonly accountId?: string;
  /** `role/name` (expanded with `accountId`) or a full role ARN; absent = use the default chain as is. */
  readonly assumeRole?: string;
  readonly externalId?: string;
  readonly sessionName?: string;
  readonly defaultKeyPair?: string;
  /** Overrides every client's endpoint (moto, LocalStack); `AWS_ENDPOINT_URL*` apply when absent. */
  readonly endpoint?: string;
}

const DEFAULT_REGION = 'us-east-1';

const { str, permissions: parsePermissions, regions: regionsOf, entry } = accountFields('aws');

function parseRegions(value: unknown, field: string): AwsRegion[] {
  if (!Array.isArray(value)) throw new Error(`aws account field '${field}' must be a list of regions`);
  return value.map((entry, index) => {
    const region = typeof entry === 'string' ? { name: entry } : (entry as Record<string, unknown>);
    if (typeof region !== 'object' || region === null || typeof region.name !== 'string' || region.name === '') {
      throw new Error(`aws account field '${field}[${index}].name' must be a non-empty string`);
    }
    const zones = region.availabilityZones ?? [];
    if (!Array.isArray(zones) || zones.some((z) => typeof z !== 'string')) {
      throw new Error(`aws account field '${field}[${index}].availabilityZones' must be a list of strings`);
    }
    return { ...region, name: region.name, availabilityZones: zones as string[] };
  });
}

/**
 * Validates one raw account. `defaults` is the `aws:` block: `defaultRegions` fill in missing
 * regions, `defaultAssumeRole` a missing `assumeRole`, `endpoint` a missing `endpoint`.
 */
export function parseAwsAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): AwsAccount {
  const name = str(raw, 'name', true)!;
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) throw new Error(`aws account field 'name' must match [a-zA-Z0-9_.-]+ (got '${name}')`);
  const accountId = raw.accountId === undefined || raw.accountId === null ? undefined : String(raw.accountId);
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error(`aws account field 'accountId' must be 12 digits (got '${accountId}')`);
  const regions = regionsOf(raw, defaults, parseRegions, { name: DEFAULT_REGION, availabilityZones: [] });
  const assumeRole = str(raw, 'assumeRole') ?? (typeof defaults.defaultAssumeRole === 'string' ? defaults.defaultAssumeRole : undefined);
  if (assumeRole && !assumeRole.startsWith('arn:') && accountId === undefined) {
    throw new Error(`aws account field 'accountId' is required when 'assumeRole' is not a full ARN`);
  }
  const endpoint = str(raw, 'endpoint') ?? (typeof defaults.endpoint === 'string' ? defaults.endpoint : undefined);
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new Error(`aws account field 'endpoint' must be an http(s) URL`);
  return entry(
    raw,
    { name, cloudProvider: 'aws' },
    {
      regions,
      ...(accountId !== undefined ? { accountId } : {}),
      ...(assumeRole !== undefined ? { assumeRole } : {}),
      ...definedOnly({ externalId: str(raw, 'externalId'), sessionName: str(raw, 'sessionName'), defaultKeyPair: str(raw, 'defaultKeyPair') }),
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...definedOnly({ permissions: parsePermissions(raw.permissions) }),
    },
  ) as AwsAccount;
}

/** The role ARN to assume: `role/x` becomes `arn:aws:iam::<accountId>:role/x`. */
export function roleArnOf(account: AwsAccount): string | undefined {
  if (!account.assumeRole) return undefined;
  return account.assumeRole.startsWith('arn:') ? account.assumeRole : `arn:aws:iam::${account.accountId}:${account.assumeRole}`;
}
