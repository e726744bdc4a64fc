import { SPI_VERSION, defineProvider, type ProviderDefinition } from '@stratus/plugin-api';
import { parseDockerRegistryAccount, type DockerRegistryAccount } from './accounts/docker-registry-account.js';
import { AccountStatus } from './caching/account-status.js';
import { TaggedImageCachingAgent } from './caching/tagged-image-caching-agent.js';
import { RegistryClient, type RegistryClientOptions } from './client/registry-client.js';
import { DOCKER_REGISTRY, dockerRegistryKeyParser } from './keys.js';
import { ImageLookup } from './routes/image-lookup.js';
import { imageRoutes } from './routes/image-routes.js';
import { DOCKER_REGISTRY_PROVIDER_VERSION } from './version.js';

/** Options for tests and embedders. */
export interface DockerRegistryProviderOptions {
  /** Registry client tuning (concurrency, retries, back-off). */
  readonly client?: RegistryClientOptions;
}

/**
 * Builds the Docker Registry provider (cloud provider, config key and cache namespace
 * `dockerRegistry`). Config, as Clouddriver's:
 *
 * ```yaml
 * dockerRegistry:
 *   enabled: true
 *   accounts:
 *     - name: dockerhub
 *       address: https://index.docker.io
 *       repositories: [library/nginx]
 *     - name: internal
 *       address: https://registry.example.com
 *       username: spinnaker
 *       passwordFile: /secrets/registry-password
 *       repositoriesRegex: 'team-a/.*'
 *       trackDigests: true
 *       sortTagsByDate: true
 * ```
 *
 * `passwordCommand` runs a shell command, so it is refused unless the operator sets
 * `dockerRegistry.allowPasswordCommand: true` in the config file; an account stored through
 * `/credentials` may use neither `passwordCommand` nor `passwordFile` (its caller must not make the
 * server run commands or read files).
 */
export function createDockerRegistryProvider(options: DockerRegistryProviderOptions = {}): ProviderDefinition {
  return defineProvider({
    id: DOCKER_REGISTRY,
    apiVersion: SPI_VERSION,
    version: DOCKER_REGISTRY_PROVIDER_VERSION,
    // The block's own switch; `enabled` and `accounts` are the server's and the account type's to check.
    parseConfig(block) {
      const allow = block.allowPasswordCommand ?? false;
      if (typeof allow !== 'boolean') throw new Error(`allowPasswordCommand: expected true or false, got ${JSON.stringify(allow)}`);
      return { ...block, allowPasswordCommand: allow };
    },
    register(context) {
      const allowPasswordCommand = context.config.allowPasswordCommand === true;
      const accounts = new Map<string, DockerRegistryAccount>();
      const clients = new Map<DockerRegistryAccount, RegistryClient>();
      const status = new AccountStatus();
      const logger = context.logger.child({ provider: DOCKER_REGISTRY });

      context.registerAccountType<DockerRegistryAccount>({
        cloudProvider: DOCKER_REGISTRY,
        parse: (raw, defaults, source) => parseDockerRegistryAccount(raw, defaults, { allowPasswordCommand, ...(source ? { origin: source.origin } : {}) }),
        agents(account) {
          const client = new RegistryClient(account, options.client);
          clients.set(account, client);
          accounts.set(account.name, account);
          logger.info({ account: account.name, address: account.address, shards: account.cacheThreads }, 'docker registry account added');
          return Array.from({ length: account.cacheThreads }, (_, index) => new TaggedImageCachingAgent(account, client, index, account.cacheThreads, status));
        },
        async dispose(account) {
          // An update builds the new version's agents before disposing the old one: keep the new entry.
          if (accounts.get(account.name) === account) {
            accounts.delete(account.name);
            status.forget(account.name);
          }
          await clients.get(account)?.close();
          clients.delete(account);
        },
      });

      context.registerKeyParser(dockerRegistryKeyParser);
      const lookup = new ImageLookup(context.cache, () => [...accounts.values()]);
      if (typeof context.registerRoutes === 'function') context.registerRoutes(imageRoutes(lookup));
      if (typeof context.registerHealthDetails === 'function') {
        context.registerHealthDetails('accounts', () => ({ accounts: status.details([...accounts.keys()]) }));
      }
      logger.info({ version: DOCKER_REGISTRY_PROVIDER_VERSION }, 'Docker Registry provider registered');
    },
  });
}
