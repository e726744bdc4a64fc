import { createDockerRegistryProvider } from './docker-registry-provider.js';

export { createDockerRegistryProvider, type DockerRegistryProviderOptions } from './docker-registry-provider.js';
export { DOCKER_REGISTRY_PROVIDER_VERSION } from './version.js';
export { parseDockerRegistryAccount, type AccountParseOptions, type DockerRegistryAccount } from './accounts/docker-registry-account.js';
export { PasswordSource, type PasswordSourceOptions } from './accounts/password-source.js';
export { RegistryClient, RegistryError, type ImageDetails, type RegistryClientOptions, type RegistryClientSettings } from './client/registry-client.js';
export { parseWwwAuthenticate, type AuthChallenge } from './client/www-authenticate.js';
export { TaggedImageCachingAgent } from './caching/tagged-image-caching-agent.js';
export { AccountStatus } from './caching/account-status.js';
export { inShard, javaHashCode } from './caching/shard.js';
export { DOCKER_REGISTRY, Keys, Types, dockerRegistryKeyParser, imageReference, parseKey } from './keys.js';
export { ImageLookup, dockerArtifact, type FindOptions } from './routes/image-lookup.js';
export { imageRoutes } from './routes/image-routes.js';

/** The Docker Registry provider with default options. */
export default createDockerRegistryProvider();
