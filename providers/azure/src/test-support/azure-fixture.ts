import { FakeAzureServer, ProviderTestHost, type FakeAzureServerOptions } from '@stratus/testing';
import { staticTokenCredential } from '../accounts/azure-clients.js';
import { createAzureProvider, type AzureProviderHandle } from '../azure-provider.js';

export const SUBSCRIPTION = 'sub-1';
export const RESOURCE_GROUP = 'shop-rg';
export const REGION = 'eastus';
const TOKEN = 'fake-token';

/** A fake ARM that wants the stub's token, with the resource group every test deploys into; list pages of 2 to exercise `nextLink`. */
export async function startFakeAzure(options: FakeAzureServerOptions = {}): Promise<FakeAzureServer> {
  const server = await FakeAzureServer.start({ subscriptions: [SUBSCRIPTION], token: TOKEN, pageSize: 2, ...options });
  server.cloud.putResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, REGION);
  return server;
}

/**
 * A provider host with the Azure provider and one account `prod` (eastus) against `server`: a stub
 * credential (no identity endpoint), the fake's CA, no retries and 5 ms polls.
 */
export async function createAzureHost(
  server: FakeAzureServer,
  accounts?: Record<string, unknown>[],
): Promise<{ host: ProviderTestHost; handle: AzureProviderHandle }> {
  let handle: AzureProviderHandle | undefined;
  const provider = createAzureProvider(
    { clients: { credential: () => staticTokenCredential(TOKEN), ca: server.ca, maxRetries: 0, pollIntervalMs: 5 } },
    (h) => (handle = h),
  );
  const host = await ProviderTestHost.create(provider, {
    accounts: accounts ?? [
      {
        name: 'prod',
        clientId: 'client',
        appKey: 'secret',
        tenantId: 'tenant',
        subscriptionId: SUBSCRIPTION,
        defaultResourceGroup: RESOURCE_GROUP,
        regions: [REGION],
        endpoint: server.endpoint,
        environment: 'production',
      },
    ],
  });
  return { host, handle: handle! };
}

/** A marketplace Ubuntu scale set body (wire JSON) as tests create them directly in the fake. */
export function scaleSetBody(
  name: string,
  capacity: number,
  extra: { pools?: string[]; nsg?: string; subnet?: string } = {},
): { name: string; [key: string]: unknown } {
  return {
    name,
    location: REGION,
    sku: { name: 'Standard_B1s', tier: 'Standard', capacity },
    tags: { appName: name.split('-')[0]! },
    properties: {
      upgradePolicy: { mode: 'Manual' },
      virtualMachineProfile: {
        osProfile: { computerNamePrefix: name.slice(0, 9), adminUsername: 'spinnaker' },
        storageProfile: { imageReference: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest' } },
        networkProfile: {
          networkInterfaceConfigurations: [
            {
              name: `${name}-nic`,
              properties: {
                primary: true,
                ...(extra.nsg ? { networkSecurityGroup: { id: extra.nsg } } : {}),
                ipConfigurations: [
                  {
                    name: `${name}-ip`,
                    properties: {
                      ...(extra.subnet ? { subnet: { id: extra.subnet } } : {}),
                      loadBalancerBackendAddressPools: (extra.pools ?? []).map((id) => ({ id })),
                    },
                  },
                ],
              },
            },
          ],
        },
      },
    },
  };
}
