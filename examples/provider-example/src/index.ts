export { nimbusProvider as default, nimbusProvider, NIMBUS_PROVIDER_VERSION } from './nimbus-provider.js';
export { parseNimbusAccount, type NimbusAccount } from './nimbus-account.js';
export { NimbusClient, NimbusApiError, type NimbusGroup, type NimbusInstance } from './nimbus-client.js';
export { NimbusCachingAgent } from './nimbus-caching-agent.js';
export { NIMBUS, NimbusKeys, NimbusTypes, nimbusKeyParser, parseNimbusKey } from './nimbus-keys.js';
export { NimbusReadModels, instanceView, serverGroupView } from './nimbus-read-models.js';
export { resizeServerGroupOperation, type ResizeServerGroupDescription } from './ops/resize-server-group.js';
export { destroyServerGroupOperation } from './ops/destroy-server-group.js';
export type { ServerGroupDescription } from './ops/server-group-description.js';
