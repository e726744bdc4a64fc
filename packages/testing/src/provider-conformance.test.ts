import { runProviderConformance } from './provider-conformance.js';
import { SyntheticCloudRegistry } from './synthetic/synthetic-cloud-registry.js';
import { createSyntheticProvider } from './synthetic/synthetic-provider.js';

// The synthetic provider is the reference: it must pass its own suite.
runProviderConformance(createSyntheticProvider({ clouds: new SyntheticCloudRegistry() }), {
  config: {
    accounts: [
      { name: 'conf-prod', regions: ['us-east-1', 'us-west-2'], seed: 3, applications: 2, serverGroupsPerApplication: 2, instancesPerServerGroup: 2 },
      { name: 'conf-test', regions: ['eu-west-1'], seed: 4, applications: 1, serverGroupsPerApplication: 1, instancesPerServerGroup: 1 },
    ],
  },
});
