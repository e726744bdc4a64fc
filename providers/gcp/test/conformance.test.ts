import { runProviderConformance, type FakeGceServer } from '@stratus/testing';
import { createGceProvider } from '../src/gce-provider.js';
import { PROJECT, startFakeGce, templateBody } from '../src/test-support/gce-fixture.js';

let server: FakeGceServer;
const US = 'regions/us-central1';

// The shared provider conformance suite, against the fake compute API seeded with a little of everything.
runProviderConformance(createGceProvider(), {
  async setup() {
    server = await startFakeGce();
    const c = server.cloud;
    c.put(PROJECT, US, 'targetPools', { name: 'conf-lb-pool' });
    c.put(PROJECT, US, 'forwardingRules', {
      name: 'conf-lb',
      IPProtocol: 'TCP',
      portRange: '80-80',
      target: c.link(PROJECT, US, 'targetPools', 'conf-lb-pool'),
    });
    c.put(PROJECT, 'global', 'instanceTemplates', templateBody('conf-web-v001-t', { metadata: { items: [{ key: 'load-balancer-names', value: 'conf-lb' }] } }));
    c.put(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', {
      name: 'conf-web-v001',
      instanceTemplate: 'global/instanceTemplates/conf-web-v001-t',
      targetSize: 2,
      targetPools: [c.link(PROJECT, US, 'targetPools', 'conf-lb-pool')],
    });
    c.put(PROJECT, US, 'instanceGroupManagers', { name: 'conf-batch-v000', instanceTemplate: 'global/instanceTemplates/conf-web-v001-t', targetSize: 1 });
    c.put(PROJECT, 'global', 'firewalls', {
      name: 'conf-web-http',
      network: 'global/networks/default',
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      targetTags: ['web'],
    });
  },
  teardown: () => server?.close(),
  config: () => ({ accounts: [{ name: 'conf-prod', project: PROJECT, regions: ['us-central1'], endpoint: server.endpoint, accessToken: 'fake-token' }] }),
});
