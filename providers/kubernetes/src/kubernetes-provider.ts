import { defineProvider, SPI_VERSION, type OperationDefinition, type ProviderContext, type ProviderDefinition } from '@stratus/plugin-api';
import { definedOnly } from '@stratus/provider-kit';
import { parseKubernetesAccount, type KubernetesAccount } from './accounts/kubernetes-account.js';
import { KubernetesManifestCachingAgent, PROVIDER_NAME } from './caching/kubernetes-caching-agent.js';
import { kubernetesKeyParser } from './kubernetes-keys.js';
import { kubernetesManifestRoutes } from './routes/kubernetes-manifest-routes.js';
import { kubernetesReadRoutes } from './routes/kubernetes-read-routes.js';
import { KubernetesManifestService } from './read-models/kubernetes-manifest-service.js';
import { KubernetesRuntime, type KubernetesRuntimeOptions } from './accounts/kubernetes-runtime.js';
import { cleanupArtifactsOperation } from './ops/cleanup-artifacts-operation.js';
import { deleteManifestOperation } from './ops/delete-manifest-operation.js';
import { deployManifestOperation } from './ops/deploy-manifest-operation.js';
import { patchManifestOperation } from './ops/patch-manifest-operation.js';
import { rollingRestartManifestOperation } from './ops/rolling-restart-manifest-operation.js';
import { resizeServerGroupOperation } from './ops/resize-server-group-operation.js';
import { rolloutPauseOperation } from './ops/rollout-pause-operation.js';
import { runJobOperation } from './ops/run-job-operation.js';
import { scaleManifestOperation } from './ops/scale-manifest-operation.js';
import { trafficManifestOperation } from './ops/traffic-manifest-operation.js';
import { undoRolloutManifestOperation } from './ops/undo-rollout-manifest-operation.js';
import { KubernetesApplicationReadModel } from './read-models/kubernetes-application-read-model.js';
import { KubernetesClusterReadModel } from './read-models/kubernetes-cluster-read-model.js';
import { KubernetesInstanceReadModel } from './read-models/kubernetes-instance-read-model.js';
import { KubernetesJobProvider } from './read-models/kubernetes-job-provider.js';
import { KubernetesRawResourceProvider } from './read-models/kubernetes-raw-resource-provider.js';
import { KubernetesServerGroupManagerProvider } from './read-models/kubernetes-server-group-manager-provider.js';
import { KubernetesLoadBalancerReadModel } from './read-models/kubernetes-load-balancer-read-model.js';
import { VERSION } from './version.js';

/** What the provider exposes after registration, for embedding and tests. */
export interface KubernetesProviderServices {
  readonly runtime: KubernetesRuntime;
  readonly manifests: KubernetesManifestService;
  readonly jobs: KubernetesJobProvider;
}

export interface KubernetesProvider extends ProviderDefinition {
  /** Set once `register` ran. */
  services?: KubernetesProviderServices;
}

/** Every manifest operation, in Clouddriver's names. */
export function kubernetesOperations(runtime: KubernetesRuntime): OperationDefinition[] {
  return [
    deployManifestOperation(runtime),
    deleteManifestOperation(runtime),
    scaleManifestOperation(runtime),
    patchManifestOperation(runtime),
    undoRolloutManifestOperation(runtime),
    rolloutPauseOperation(runtime, true),
    rolloutPauseOperation(runtime, false),
    rollingRestartManifestOperation(runtime),
    trafficManifestOperation(runtime, true),
    trafficManifestOperation(runtime, false),
    cleanupArtifactsOperation(runtime),
    runJobOperation(runtime),
    resizeServerGroupOperation(runtime),
  ];
}

function runtimeOptionsFrom(config: Record<string, unknown>, overrides: KubernetesRuntimeOptions): KubernetesRuntimeOptions {
  const watch = (config.watch ?? {}) as Record<string, unknown>;
  const maxAccounts = watch.maxAccounts;
  if (maxAccounts !== undefined && (typeof maxAccounts !== 'number' || !Number.isInteger(maxAccounts) || maxAccounts < 0)) {
    throw new Error('kubernetes.watch.maxAccounts must be an integer ≥ 0');
  }
  const timeout = config.requestTimeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout <= 0)) throw new Error('kubernetes.requestTimeoutSeconds must be a positive number');
  return {
    ...overrides,
    ...definedOnly({ maxWatchedAccounts: overrides.maxWatchedAccounts ?? (maxAccounts as number | undefined) }),
    client: { ...(timeout ? { requestTimeoutMs: (timeout as number) * 1000 } : {}), ...overrides.client },
  };
}

/**
 * The Kubernetes provider: `kubernetes.accounts[]`, one full-relist caching agent per account with
 * watch streams on top, read models for the generic read API, the live manifest reader and the
 * manifest operations. No on-demand agent is registered: `POST /cache/kubernetes/manifest` answers
 * 200 with nothing to do, as Clouddriver's does (reads are live; the watch keeps the cache fresh).
 */
export function createKubernetesProvider(options: KubernetesRuntimeOptions = {}): KubernetesProvider {
  const provider: KubernetesProvider = defineProvider({
    id: 'kubernetes',
    apiVersion: SPI_VERSION,
    version: VERSION,
    register(context: ProviderContext) {
      const cache = context.providerCache(PROVIDER_NAME);
      const runtime = new KubernetesRuntime(cache, runtimeOptionsFrom(context.config, options), context.logger);
      const manifests = new KubernetesManifestService(runtime, cache);
      const jobs = new KubernetesJobProvider(runtime);
      provider.services = { runtime, manifests, jobs };

      context.registerAccountType<KubernetesAccount>({
        cloudProvider: 'kubernetes',
        parse: (raw, defaults) => parseKubernetesAccount(raw, defaults),
        agents(account) {
          runtime.add(account);
          return [
            new KubernetesManifestCachingAgent(
              account,
              () => runtime.session(account.name),
              () => runtime.discoveredKinds(account.name),
            ),
          ];
        },
        dispose(account) {
          // A changed account is re-added under the same name before the old one is disposed. Cached
          // items stay (dispose also runs at shutdown, and a shared cache must survive restarts);
          // a removed account's items are no longer refreshed, as in Clouddriver.
          if (runtime.account(account.name) === account) runtime.remove(account.name);
        },
      });
      for (const operation of kubernetesOperations(runtime)) context.registerOperation('kubernetes', operation);
      const clusters = new KubernetesClusterReadModel(cache);
      context.registerReadModel('kubernetes', 'clusters', clusters);
      context.registerReadModel('kubernetes', 'applications', new KubernetesApplicationReadModel(cache, clusters));
      context.registerReadModel('kubernetes', 'instances', new KubernetesInstanceReadModel(cache));
      context.registerReadModel('kubernetes', 'loadBalancers', new KubernetesLoadBalancerReadModel(cache));
      context.registerKeyParser(kubernetesKeyParser);
      // SPI 1.1; a 1.0 host has no provider routes, and the manifest reader stays reachable through `services`.
      if (typeof context.registerRoutes === 'function') {
        context.registerRoutes(kubernetesManifestRoutes(manifests));
        context.registerRoutes(
          kubernetesReadRoutes({
            runtime,
            jobs,
            serverGroupManagers: new KubernetesServerGroupManagerProvider(cache, clusters),
            rawResources: new KubernetesRawResourceProvider(runtime, cache),
          }),
        );
      }
      // Readiness shows each account's cluster health (reachable, watches, last error) without gating on it.
      if (typeof context.registerHealthDetails === 'function') {
        context.registerHealthDetails('accounts', () => ({ accounts: runtime.health() }));
      }
    },
  }) as KubernetesProvider;
  return provider;
}
