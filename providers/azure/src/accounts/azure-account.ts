import { accountFields, type CloudAccount } from '@stratus/provider-kit';

/** One `azure.accounts[]` entry after validation (Clouddriver's `AzureNamedAccountCredentials`, trimmed). */
export interface AzureAccount extends CloudAccount<'azure', { readonly name: string }> {
  /** The service principal's application (client) id. */
  readonly clientId?: string;
  /** The service principal's secret (non-enumerable: never serialized). */
  readonly appKey?: string;
  readonly tenantId?: string;
  readonly subscriptionId: string;
  /** Where operations create resources unless a description names another resource group. */
  readonly defaultResourceGroup: string;
  /** Base URL of Resource Manager (`https://127.0.0.1:PORT` for a fake); Azure's public cloud when absent. */
  readonly endpoint?: string;
  /**
   * A ready bearer token, used as is and never refreshed (for development against a fake or an
   * emulator; no identity endpoint is contacted). Non-enumerable.
   */
  readonly accessToken?: string;
}

const NAME = /^[a-zA-Z0-9_.-]+$/;
const GUID_OR_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;
const LOCATION = /^[a-z][a-z0-9]*$/;
/** ARM resource group names: letters, digits, `_ - . ( )`, not ending with a dot, at most 90. */
export const RESOURCE_GROUP = /^[-\w.()]{0,89}[-\w()]$/;

const { fail, str, permissions: parsePermissions, endpoint: endpointOf, regions: regionsOf, entry } = accountFields('azure');

function parseRegions(value: unknown, field: string): { name: string }[] {
  if (!Array.isArray(value)) return fail(field, 'must be a list of Azure locations');
  return value.map((entry, index) => {
    const name = typeof entry === 'string' ? entry : (entry as Record<string, unknown> | null)?.name;
    if (typeof name !== 'string' || !LOCATION.test(name)) return fail(`${field}[${index}]`, 'must be an Azure location such as eastus');
    return { name };
  });
}

/**
 * Validates one raw `azure.accounts[]` entry. `defaults` is the `azure:` block: `defaultRegions`
 * fill in missing regions and `endpoint` a missing endpoint. A service principal
 * (`clientId` + `appKey` + `tenantId`) is required unless an `accessToken` is given.
 */
export function parseAzureAccount(raw: Record<string, unknown>, defaults: Record<string, unknown> = {}): AzureAccount {
  const name = str(raw, 'name', true)!;
  if (!NAME.test(name)) fail('name', `must match [a-zA-Z0-9_.-]+ (got '${name}')`);
  const accessToken = str(raw, 'accessToken');
  const clientId = str(raw, 'clientId', !accessToken);
  const appKey = str(raw, 'appKey', !accessToken);
  const tenantId = str(raw, 'tenantId', !accessToken);
  if (tenantId !== undefined && !GUID_OR_NAME.test(tenantId.replace(/\./g, ''))) fail('tenantId', 'must be a tenant id or domain');
  const subscriptionId = str(raw, 'subscriptionId', true)!;
  if (!GUID_OR_NAME.test(subscriptionId)) fail('subscriptionId', `must be a subscription id (got '${subscriptionId}')`);
  const defaultResourceGroup = str(raw, 'defaultResourceGroup', true)!;
  if (!RESOURCE_GROUP.test(defaultResourceGroup)) fail('defaultResourceGroup', `must be a resource group name (got '${defaultResourceGroup}')`);
  // Azure locations (`eastus`, `westeurope` …) to cache and deploy to.
  const regions = regionsOf(raw, defaults, parseRegions, { name: 'westus' }, 'location');
  // Plain HTTP is refused by the SDK's bearer token policy, so only https is accepted.
  const endpoint = endpointOf(raw, defaults, ['https:'], 'an https base URL such as https://management.azure.com');
  const permissions = parsePermissions(raw.permissions);
  const fields = {
    ...(clientId !== undefined ? { clientId } : {}),
    ...(tenantId !== undefined ? { tenantId } : {}),
    subscriptionId,
    defaultResourceGroup,
    regions,
    ...(endpoint !== undefined ? { endpoint: endpoint.replace(/\/$/, '') } : {}),
    ...(permissions ? { permissions } : {}),
  };
  return entry(raw, { name, cloudProvider: 'azure' }, fields, { appKey, accessToken });
}
