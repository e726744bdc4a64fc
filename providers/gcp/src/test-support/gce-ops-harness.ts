import type { FakeGceCloud, FakeGceServer, ProviderTestHost } from '@stratus/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createGceHost, PROJECT, startFakeGce } from './gce-fixture.js';

const US = 'regions/us-central1';

/** The fields of the `shop-web` deployment (two e2-small instances in us-central1-a) the operation tests make. */
export const SHOP_DEPLOYMENT = {
  application: 'shop',
  stack: 'web',
  region: 'us-central1',
  zone: 'us-central1-a',
  targetSize: 2,
  image: 'debian-12-bookworm-v20240110',
  instanceType: 'e2-small',
};

/** A network load balancer `name` in us-central1: its forwarding rule and target pool `<name>-pool`. */
export function putNetworkLoadBalancer(cloud: FakeGceCloud, name: string): void {
  cloud.put(PROJECT, US, 'targetPools', { name: `${name}-pool` });
  cloud.put(PROJECT, US, 'forwardingRules', { name, IPProtocol: 'TCP', portRange: '80-80', target: cloud.link(PROJECT, US, 'targetPools', `${name}-pool`) });
}

/**
 * A file's fake compute API (one for the file) and a fresh provider host per test: before each test
 * the collections in `clear` are emptied (every scope), `seed` fills the cloud, then the host
 * starts with account `prod`.
 */
export function gceOpsHarness(options: { clear: readonly string[]; seed(cloud: FakeGceCloud): void }): {
  readonly server: FakeGceServer;
  readonly host: ProviderTestHost;
} {
  let server: FakeGceServer | undefined;
  let host: ProviderTestHost | undefined;
  beforeAll(async () => {
    server = await startFakeGce();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    const c = server!.cloud;
    for (const collection of options.clear) {
      for (const [scope, r] of c.aggregated(PROJECT, collection)) c.remove(PROJECT, scope, collection, r.name);
      for (const r of c.list(PROJECT, 'global', collection)) c.remove(PROJECT, 'global', collection, r.name);
    }
    options.seed(c);
    ({ host } = await createGceHost(server!));
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
