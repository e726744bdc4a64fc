import { runProviderConformance } from '@stratus/testing';
import dockerRegistryProvider from '../src/index.js';
import { RegistryServer, registryUnavailable } from '../src/test-support/registry-server.js';

let registry: RegistryServer;

if (registryUnavailable()) {
  // The suite needs the real registry (apt-get install -y docker-registry); say why it did not run.
  const { it } = await import('vitest');
  it.skip(`provider conformance: dockerRegistry (${registryUnavailable()})`, () => undefined);
} else {
  runProviderConformance(dockerRegistryProvider, {
    async setup() {
      registry = await RegistryServer.start();
      await registry.pushImage('shop/web', '1.0.0');
      await registry.pushImage('shop/web', '1.1.0');
      await registry.pushImage('billing/api', 'latest');
    },
    config: () => ({
      accounts: [
        { name: 'registry-conf', address: registry.url, trackDigests: true, sortTagsByDate: true },
        { name: 'registry-conf-b', address: registry.url, repositories: ['shop/web'], cacheThreads: 2 },
      ],
    }),
    teardown: () => registry?.stop(),
  });
}
