import { GceClientFactory, createGceProvider, staticTokenAuthClient } from '@stratus/provider-gcp';
import { FakeGceServer, runProviderConformance } from '@stratus/testing';

const PROJECT = 'conformance-project';
const US = 'regions/us-central1';
let server: FakeGceServer;

/** An instance template booting the fake's seeded Debian image. */
const template = (name: string) => ({
  name,
  properties: {
    machineType: 'e2-small',
    disks: [{ boot: true, autoDelete: true, initializeParams: { sourceImage: `projects/${PROJECT}/global/images/debian-12-bookworm-v20240110` } }],
    networkInterfaces: [{ network: `projects/${PROJECT}/global/networks/default` }],
    tags: { items: ['web'] },
  },
});

runProviderConformance(createGceProvider({ clientFactory: new GceClientFactory({ authClient: () => staticTokenAuthClient('fake-token') }) }), {
  async setup() {
    server = await FakeGceServer.start({ projects: [PROJECT], token: 'fake-token' });
    const c = server.cloud;
    c.put(PROJECT, US, 'targetPools', { name: 'shop-lb-pool', sessionAffinity: 'NONE' });
    c.put(PROJECT, US, 'forwardingRules', {
      name: 'shop-lb',
      IPProtocol: 'TCP',
      portRange: '80-80',
      target: c.link(PROJECT, US, 'targetPools', 'shop-lb-pool'),
    });
    c.put(PROJECT, 'global', 'instanceTemplates', template('shop-web-v001-t'));
    c.put(PROJECT, 'zones/us-central1-a', 'instanceGroupManagers', {
      name: 'shop-web-v001',
      instanceTemplate: 'global/instanceTemplates/shop-web-v001-t',
      targetSize: 2,
      targetPools: [c.link(PROJECT, US, 'targetPools', 'shop-lb-pool')],
    });
    c.put(PROJECT, 'global', 'firewalls', {
      name: 'shop-web-http',
      network: 'global/networks/default',
      allowed: [{ IPProtocol: 'tcp', ports: ['80'] }],
      targetTags: ['web'],
    });
  },
  config: () => ({ accounts: [{ name: 'gce-conformance', project: PROJECT, regions: ['us-central1'], endpoint: server.endpoint }] }),
  teardown: () => server?.close(),
});
