import { SPI_VERSION, defineProvider, type ProviderDefinition } from '@stratus/plugin-api';
import { ClusterCleanupAgent } from '@stratus/provider-kit';
import { parseNimbusAccount, type NimbusAccount } from './nimbus-account.js';
import { NimbusCachingAgent } from './nimbus-caching-agent.js';
import { NimbusClient } from './nimbus-client.js';
import { NIMBUS, nimbusKeyParser } from './nimbus-keys.js';
import { NimbusReadModels } from './nimbus-read-models.js';
import { destroyServerGroupOperation } from './ops/destroy-server-group.js';
import { resizeServerGroupOperation } from './ops/resize-server-group.js';

/** This package's version, reported by `/health` and the startup log. Keep in step with package.json. */
export const NIMBUS_PROVIDER_VERSION = '0.1.0';

/**
 * The Nimbus provider. Config (`nimbus:` in the server's config file):
 *
 * ```yaml
 * providers: ['@acme/stratus-provider-example']
 * nimbus:
 *   accounts:
 *     - name: nimbus-prod
 *       endpoint: https://api.nimbus.example
 *       token: ${NIMBUS_TOKEN}
 *       regions: [north-1, south-1]
 * ```
 */
export const nimbusProvider: ProviderDefinition = defineProvider({
  id: NIMBUS,
  // Built against this SPI; the server refuses the provider if its SPI major version differs.
  apiVersion: SPI_VERSION,
  version: NIMBUS_PROVIDER_VERSION,
  register(context) {
    const providerCache = context.providerCache(NIMBUS);
    const accounts = new Map<string, NimbusAccount>();

    context.registerAccountType<NimbusAccount>({
      cloudProvider: NIMBUS,
      parse: parseNimbusAccount,
      agents(account) {
        accounts.set(account.name, account);
        const client = new NimbusClient(account.endpoint, account.token);
        return account.regions.map((region) => new NimbusCachingAgent(account, region.name, client));
      },
      dispose(account) {
        accounts.delete(account.name);
      },
    });

    // Regional agents are only informative for clusters and applications; the kit's housekeeping
    // agent evicts the ones no server group is left in.
    context.registerAgents([new ClusterCleanupAgent(NIMBUS)]);

    const accountNamed = (name: string) => accounts.get(name);
    context.registerOperation(NIMBUS, resizeServerGroupOperation(accountNamed));
    context.registerOperation(NIMBUS, destroyServerGroupOperation(accountNamed));

    const models = new NimbusReadModels(providerCache);
    context.registerReadModel(NIMBUS, 'applications', models.applications);
    context.registerReadModel(NIMBUS, 'clusters', models.clusters);
    context.registerReadModel(NIMBUS, 'instances', models.instances);
    context.registerKeyParser(nimbusKeyParser);
    context.logger.info({ version: NIMBUS_PROVIDER_VERSION }, 'Nimbus provider registered');
  },
});
