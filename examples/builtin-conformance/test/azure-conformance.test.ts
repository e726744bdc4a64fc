import type { ProviderDefinition } from '@stratus/plugin-api';
import { createAzureProvider, staticTokenCredential } from '@stratus/provider-azure';
import { FakeAzureServer, runProviderConformance } from '@stratus/testing';

const SUBSCRIPTION = 'conformance-sub';
const RESOURCE_GROUP = 'shop-rg';
const REGION = 'eastus';
let server: FakeAzureServer | undefined;

// The fake serves TLS with its own CA, known only once it runs: the provider is built at registration.
const build = () =>
  createAzureProvider({
    clients: { credential: () => staticTokenCredential('fake-token'), ...(server ? { ca: server.ca } : {}), maxRetries: 0, pollIntervalMs: 5 },
  });
const provider: ProviderDefinition = { ...build(), register: (context) => build().register(context) };

/** A marketplace Ubuntu scale set (wire JSON). */
const scaleSet = (name: string, capacity: number) => ({
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
        networkInterfaceConfigurations: [{ name: `${name}-nic`, properties: { primary: true, ipConfigurations: [{ name: `${name}-ip`, properties: {} }] } }],
      },
    },
  },
});

runProviderConformance(provider, {
  async setup() {
    server = await FakeAzureServer.start({ subscriptions: [SUBSCRIPTION], token: 'fake-token' });
    server.cloud.putResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, REGION);
    server.cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualMachineScaleSets', scaleSet('shop-web-v002', 2));
  },
  config: () => ({
    accounts: [
      {
        name: 'azure-conformance',
        clientId: 'client',
        appKey: 'secret',
        tenantId: 'tenant',
        subscriptionId: SUBSCRIPTION,
        defaultResourceGroup: RESOURCE_GROUP,
        regions: [REGION],
        endpoint: server!.endpoint,
      },
    ],
  }),
  teardown: () => server?.close(),
});
