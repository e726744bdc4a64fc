import { serverE2e, startStratusProcess, type FakeGceServer, type ServerE2e } from '@stratus/testing';
import { PROJECT, startFakeGce } from './gce-fixture.js';

/**
 * The real server process (apps/server's `stratus` bin) with `google.enabled` and one account
 * `prod`, pointed at the fake compute API with a fixed access token (no token endpoint is
 * contacted). `seed` fills the fake before the server starts and may add fields to the account;
 * `opDefaults` go into every single operation posted to `/gce/ops`; `stop` runs after the fake closed.
 */
export function gceServerE2e(options: {
  tempPrefix: string;
  seed(gce: FakeGceServer): Promise<Record<string, unknown> | void> | void;
  opDefaults?: Record<string, unknown>;
  stop?(): Promise<void>;
}): ServerE2e<FakeGceServer> {
  return serverE2e({
    opsPath: '/gce/ops',
    setupTimeoutMs: 180_000,
    ...(options.opDefaults ? { opDefaults: options.opDefaults } : {}),
    startFake: () => startFakeGce(),
    async startProcess(gce) {
      const extra = await options.seed(gce);
      const account = { name: 'prod', project: PROJECT, regions: ['us-central1'], endpoint: gce.endpoint, accessToken: 'fake-token', ...extra };
      return startStratusProcess({
        tempPrefix: options.tempPrefix,
        config: { google: { enabled: true, agentIntervalSeconds: 2, accounts: [account] } },
        dropEnvPrefixes: ['GOOGLE_'],
        readyTimeoutMs: 90_000,
      });
    },
    async stopFake(gce) {
      await gce.close();
      await options.stop?.();
    },
  });
}
