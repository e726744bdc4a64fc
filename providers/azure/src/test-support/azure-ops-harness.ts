import type { FakeAzureCloud, FakeAzureServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAzureHost, REGION, RESOURCE_GROUP, startFakeAzure, SUBSCRIPTION } from './azure-fixture.js';

export const SHOP_LB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.Network/loadBalancers/shop-lb`;

/** The fields of the `shop-web` deployment the operation tests make behind `shop-lb`, in `shop-web-nsg` and `shop-vnet`/`web`. */
export const SHOP_DEPLOYMENT = {
  credentials: 'prod',
  application: 'shop',
  stack: 'web',
  region: REGION,
  image: { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', version: 'latest', isCustom: false },
  sku: { name: 'Standard_B1s', tier: 'Standard', capacity: 2 },
  osConfig: { adminUserName: 'spinnaker', adminPassword: 'S3cret!pass' },
  loadBalancerName: 'shop-lb',
  securityGroupName: 'shop-web-nsg',
  vnet: 'shop-vnet',
  subnet: 'web',
};

/** `shop-vnet` with the given subnets (`name` → prefix). */
export function putShopVnet(cloud: FakeAzureCloud, subnets: Record<string, string>): void {
  cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'virtualNetworks', {
    name: 'shop-vnet',
    properties: {
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: Object.entries(subnets).map(([name, addressPrefix]) => ({ name, properties: { addressPrefix } })),
    },
  });
}

/** `shop-lb`: one backend pool and one rule (TCP 80 -> 8080) into it. */
export function putShopLoadBalancer(cloud: FakeAzureCloud): void {
  cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'loadBalancers', {
    name: 'shop-lb',
    properties: {
      backendAddressPools: [{ name: 'default_LB_BAP' }],
      loadBalancingRules: [
        {
          name: 'http',
          properties: { protocol: 'Tcp', frontendPort: 80, backendPort: 8080, backendAddressPool: { id: `${SHOP_LB_ID}/backendAddressPools/default_LB_BAP` } },
        },
      ],
    },
  });
}

/** What {@link SHOP_DEPLOYMENT} deploys into: `shop-lb`, `shop-web-nsg` and `shop-vnet` with subnet `web`. */
export function putShopNetwork(cloud: FakeAzureCloud): void {
  putShopLoadBalancer(cloud);
  cloud.put(SUBSCRIPTION, RESOURCE_GROUP, 'networkSecurityGroups', { name: 'shop-web-nsg', properties: { securityRules: [] } });
  putShopVnet(cloud, { web: '10.0.1.0/24' });
}

/**
 * A file's fake Resource Manager (one for the file) and a fresh provider host per test: before each
 * test `reset` runs, the resource types in `clear` are emptied, `seed` fills the cloud, then the
 * host starts with account `prod`.
 */
export function azureOpsHarness(options: { clear: readonly string[]; seed(cloud: FakeAzureCloud): void; reset?(server: FakeAzureServer): void }): {
  readonly server: FakeAzureServer;
  readonly host: ProviderTestHost;
} {
  let server: FakeAzureServer | undefined;
  let host: ProviderTestHost | undefined;
  beforeAll(async () => {
    server = await startFakeAzure();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    options.reset?.(server!);
    const c = server!.cloud;
    for (const type of options.clear) for (const r of c.list(SUBSCRIPTION, type)) c.remove(r.id);
    options.seed(c);
    ({ host } = await createAzureHost(server!));
  });
  return {
    get server() {
      return server!;
    },
    get host() {
      return host!;
    },
  };
}
