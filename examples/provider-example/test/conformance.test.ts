import { runProviderConformance } from '@stratus/testing';
import nimbusProvider from '../src/index.js';
import { FakeNimbusApi } from './fake-nimbus-api.js';

let api: FakeNimbusApi;

runProviderConformance(nimbusProvider, {
  async setup() {
    api = await FakeNimbusApi.start();
    api.seed({ name: 'shop-web-v001', region: 'north-1', desired: 2 });
    api.seed({ name: 'shop-web-v002', region: 'north-1', desired: 1, disabled: true });
    api.seed({ name: 'billing-v000', region: 'south-1', desired: 1 });
  },
  config: () => ({
    accounts: [
      { name: 'nimbus-conf', endpoint: api.url, token: api.token, regions: ['north-1', 'south-1'] },
      { name: 'nimbus-conf-b', endpoint: api.url, token: api.token, regions: ['north-1'] },
    ],
  }),
  teardown: () => api.close(),
});
