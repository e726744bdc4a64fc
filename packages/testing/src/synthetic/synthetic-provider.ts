import { SPI_VERSION, defineProvider, type ProviderDefinition, type ReadModelKind } from '@stratus/plugin-api';
import { SyntheticClusterCleanupAgent } from './cluster-cleanup-agent.js';
import { syntheticOperations, type SyntheticOperationName } from './operations/synthetic-operations.js';
import { SyntheticReadModels } from './read-models/synthetic-read-models.js';
import { parseSyntheticAccount, type SyntheticAccountCredentials } from './synthetic-account.js';
import { SYNTHETIC_PROVIDER_NAME } from './synthetic-agent-options.js';
import { defaultSyntheticClouds, type SyntheticCloudRegistry } from './synthetic-cloud-registry.js';
import { SYNTHETIC, syntheticKeyParser } from './synthetic-keys.js';
import { SyntheticRuntime } from './synthetic-runtime.js';

export interface SyntheticProviderOptions {
  /** Where the accounts' fake clouds live; the process-wide registry when absent. */
  readonly clouds?: SyntheticCloudRegistry;
  /** Overrides `synthetic.operationDelayMs`. */
  readonly operationDelayMs?: number | Partial<Record<SyntheticOperationName, number>>;
  /** Overrides `synthetic.agentIntervalMs`. */
  readonly agentIntervalMs?: number;
  readonly now?: () => number;
  /** Called once registered, with what a test needs to drive the provider. */
  readonly onRegister?: (runtime: SyntheticRuntime) => void;
}

export const SYNTHETIC_PROVIDER_VERSION = '0.1.0';

function delayConfig(value: unknown): number | Partial<Record<SyntheticOperationName, number>> | undefined {
  if (value === undefined) return undefined;
  const valid = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (valid(value)) return value as number;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(valid)) {
    return value as Partial<Record<SyntheticOperationName, number>>;
  }
  throw new Error('synthetic.operationDelayMs must be a number of milliseconds or a map of operation name to milliseconds');
}

function intervalConfig(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw new Error('synthetic.agentIntervalMs must be a positive integer of milliseconds');
}

/**
 * The synthetic provider: a seeded fake cloud per account with caching agents (authoritative and
 * informative), a `ServerGroup` on-demand agent, server-group operations and every read model.
 * Config (`synthetic:`): `accounts[]` (see {@link parseSyntheticAccount}), optional `operationDelayMs`
 * and `agentIntervalMs`.
 */
export function createSyntheticProvider(options: SyntheticProviderOptions = {}): ProviderDefinition {
  return defineProvider({
    id: SYNTHETIC,
    configKey: SYNTHETIC,
    apiVersion: SPI_VERSION,
    version: SYNTHETIC_PROVIDER_VERSION,
    register(context) {
      const delayMs = options.operationDelayMs ?? delayConfig(context.config.operationDelayMs);
      const intervalMs = options.agentIntervalMs ?? intervalConfig(context.config.agentIntervalMs);
      // The fake cloud's describe calls cannot fail, so an empty result really means "nothing there":
      // opt in to full eviction, or deleting a region's last server group would never be noticed.
      const providerCache = context.providerCache(SYNTHETIC_PROVIDER_NAME, { supportsFullEviction: true });
      const runtime = new SyntheticRuntime(options.clouds ?? defaultSyntheticClouds(), providerCache, {
        ...(intervalMs !== undefined ? { intervalMs } : {}),
        ...(options.now ? { now: options.now } : {}),
      });

      context.registerAccountType<SyntheticAccountCredentials>({
        cloudProvider: SYNTHETIC,
        parse: parseSyntheticAccount,
        agents: (account) => runtime.agentsFor(account),
        dispose: (account) => runtime.removeAccount(account.name),
      });
      context.registerAgents([new SyntheticClusterCleanupAgent(intervalMs)]);
      for (const operation of syntheticOperations(runtime, delayMs !== undefined ? { delayMs } : {})) {
        context.registerOperation(SYNTHETIC, operation);
      }
      const models = new SyntheticReadModels(runtime.providerCache).all();
      for (const kind of Object.keys(models) as ReadModelKind[]) context.registerReadModel(SYNTHETIC, kind, models[kind] as never);
      context.registerKeyParser(syntheticKeyParser);
      // Per-account readiness details in the shape real providers use (a list of `{account, …}`),
      // so tests see the server filter them by the caller's accounts.
      if (typeof context.registerHealthDetails === 'function') {
        context.registerHealthDetails('accounts', () => ({
          accounts: runtime
            .accountNames()
            .sort()
            .map((account) => ({ account, regions: [...(runtime.account(account)?.regions.keys() ?? [])] })),
        }));
      }
      options.onRegister?.(runtime);
    },
  });
}

/** The provider with default options (process-wide clouds), as the server loads it by package name. */
export const syntheticProvider: ProviderDefinition = createSyntheticProvider();
