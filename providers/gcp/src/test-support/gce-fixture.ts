import { FakeGceServer, ProviderTestHost, type FakeGceServerOptions } from '@stratus/testing';
import { GceClientFactory, staticTokenAuthClient } from '../accounts/gce-clients.js';
import { createGceProvider, type GceProviderHandle, type GceProviderOptions } from '../gce-provider.js';

export const PROJECT = 'my-project';

/**
 * One client factory for every host a test file creates, with a pre-authorised auth client (no token
 * endpoint is ever contacted). Clients are per account name, so hosts must agree on what an account
 * name points at.
 */
let sharedClients: GceClientFactory | undefined;
const clientFactory = () => (sharedClients ??= new GceClientFactory({ authClient: () => staticTokenAuthClient('fake-token') }));

/** A provider host with the GCE provider and one account `prod` (us-central1) against `server`. */
export async function createGceHost(
  server: FakeGceServer,
  accounts?: Record<string, unknown>[],
  options: Omit<GceProviderOptions, 'clientFactory'> = {},
): Promise<{ host: ProviderTestHost; handle: GceProviderHandle }> {
  let handle: GceProviderHandle | undefined;
  const provider = createGceProvider({ ...options, clientFactory: clientFactory() }, (h) => (handle = h));
  const host = await ProviderTestHost.create(provider, {
    accounts: accounts ?? [{ name: 'prod', project: PROJECT, regions: ['us-central1'], endpoint: server.endpoint, environment: 'production' }],
  });
  return { host, handle: handle! };
}

export function startFakeGce(options: FakeGceServerOptions = {}): Promise<FakeGceServer> {
  return FakeGceServer.start({ projects: [PROJECT], token: 'fake-token', ...options });
}

/** An instance template whose machines run the seeded Debian image, as tests create them directly in the fake. */
export function templateBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> & { name: string } {
  return {
    name,
    properties: {
      machineType: 'e2-small',
      disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: `projects/${PROJECT}/global/images/debian-12-bookworm-v20240110` } }],
      networkInterfaces: [{ network: `projects/${PROJECT}/global/networks/default` }],
      tags: { items: ['web'] },
      labels: { team: 'shop' },
      ...extra,
    },
  };
}
