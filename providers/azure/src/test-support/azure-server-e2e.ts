import { join } from 'node:path';
import { serverE2e, startStratusProcess, type FakeAzureServer, type ServerE2e } from '@stratus/testing';
import { REGION, RESOURCE_GROUP, startFakeAzure, SUBSCRIPTION } from './azure-fixture.js';

/**
 * The real server process (apps/server's `stratus` bin) with the Azure provider enabled and one
 * account `prod`, pointed at the fake Resource Manager over HTTPS. The process trusts the fake's
 * certificate through NODE_EXTRA_CA_CERTS and uses the account's static `accessToken`, so no
 * identity endpoint is ever contacted. `seed` fills the fake before the server starts;
 * `opDefaults` go into every single operation posted to `/azure/ops`.
 */
export function azureServerE2e(options: {
  tempPrefix: string;
  seed(fake: FakeAzureServer): void;
  opDefaults?: Record<string, unknown>;
}): ServerE2e<FakeAzureServer> {
  return serverE2e({
    opsPath: '/azure/ops',
    setupTimeoutMs: 120_000,
    ...(options.opDefaults ? { opDefaults: options.opDefaults } : {}),
    startFake: () => startFakeAzure({ token: 'e2e-token', pageSize: 50 }),
    startProcess(fake) {
      options.seed(fake);
      const account = {
        name: 'prod',
        accessToken: 'e2e-token',
        subscriptionId: SUBSCRIPTION,
        defaultResourceGroup: RESOURCE_GROUP,
        regions: [REGION],
        endpoint: fake.endpoint,
        environment: 'prod',
      };
      return startStratusProcess({
        tempPrefix: options.tempPrefix,
        config: { azure: { enabled: true, agentIntervalSeconds: 1, pollIntervalMs: 20, accounts: [account] } },
        files: { 'fake-arm-ca.pem': fake.ca },
        dropEnvPrefixes: ['AZURE_'],
        env: ({ dir }) => ({ NODE_EXTRA_CA_CERTS: join(dir, 'fake-arm-ca.pem') }),
        readyTimeoutMs: 90_000,
      });
    },
    stopFake: (fake) => fake.close(),
  });
}
