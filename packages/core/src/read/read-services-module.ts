import { defineModule } from '../modules/feature-module.js';
import { CACHE, READ_MODEL_REGISTRY } from '../tokens.js';
import { READ_SERVICES } from './register-read-services.js';
import { KEY_PARSER_REGISTRY } from './tokens.js';

/**
 * The generic read services (applications, clusters, server groups, instances, load balancers,
 * security groups, search) over the read models and key parsers providers registered. The read
 * routes resolve them; a new generic read endpoint adds its service here (docs/architecture.md,
 * "Recipe: a generic read endpoint").
 */
export const readServicesModule = defineModule({
  id: 'core.read-services',
  // Declared so a server that lists this module before the provider host fails at startup, not on the first read.
  deps: { readModels: READ_MODEL_REGISTRY, cache: CACHE, keyParsers: KEY_PARSER_REGISTRY },
  register({ bindClass }) {
    for (const [token, service] of READ_SERVICES) bindClass(token, service as new (...args: never[]) => unknown);
  },
});
