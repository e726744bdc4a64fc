import {
  silentLogger,
  type AccountCredentials,
  type AccountTypeDefinition,
  type Agent,
  type Cache,
  type CacheNamespaceOptions,
  type KeyParser,
  type OperationDefinition,
  type ProviderCache,
  type ProviderContext,
} from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { AccountAgentRegistry, defineRegionalProvider } from '../index.js';

interface TestAccount extends AccountCredentials {
  readonly regions: readonly { readonly name: string }[];
}

class TestClients {
  readonly disposed: string[] = [];
  dispose(account: TestAccount): void {
    this.disposed.push(account.name);
  }
}

class TestRefresher {
  constructor(
    readonly accounts: AccountAgentRegistry<TestAccount>,
    readonly cache: ProviderCache,
  ) {}
}

/** A read model remembering the cache it reads (and, for clusters, the load balancers it joins). */
class Model {
  constructor(
    readonly cache: Cache,
    readonly loadBalancers?: Model,
  ) {}
}

/** A provider context that records what the provider registers. */
function recordingContext(config: Record<string, unknown>) {
  const seen = {
    namespaces: [] as [string, CacheNamespaceOptions | undefined][],
    accountType: undefined as AccountTypeDefinition<TestAccount> | undefined,
    housekeeping: [] as Agent[],
    readModels: new Map<string, unknown>(),
    operations: [] as string[],
    keyParser: undefined as KeyParser | undefined,
  };
  const cache = { tag: 'namespace' } as unknown as ProviderCache;
  const ctx = {
    spiVersion: '1.4.0',
    logger: silentLogger,
    config,
    cache,
    providerCache: (name: string, options?: CacheNamespaceOptions) => (seen.namespaces.push([name, options]), cache),
    registerAccountType: (d: AccountTypeDefinition<TestAccount>) => void (seen.accountType = d),
    registerAgents: (agents: readonly Agent[]) => void seen.housekeeping.push(...agents),
    registerReadModel: (cloud: string, kind: string, model: unknown) => void seen.readModels.set(`${cloud}/${kind}`, model),
    registerKeyParser: (parser: KeyParser) => void (seen.keyParser = parser),
    registerOperation: (cloud: string, d: OperationDefinition) => void seen.operations.push(`${cloud}/${d.name}`),
  } as unknown as ProviderContext;
  return { ctx, seen, cache };
}

const operation = (name: string): OperationDefinition => ({
  name,
  converter: { convertDescription: (i) => i, convertOperation: () => ({ operate: async () => undefined }) },
});

describe('defineRegionalProvider', () => {
  const keyParser = { cloudProvider: 'test' } as unknown as KeyParser;

  it('registers accounts, read models, operations with their aliases, and hands over the handle', async () => {
    let handle: unknown;
    const definition = defineRegionalProvider(
      {
        id: 'test',
        configKey: 'testing',
        apiVersion: '1.4.0',
        version: '0.0.1',
        options: {},
        clients: () => new TestClients(),
        accounts: AccountAgentRegistry<TestAccount>,
        parse: (raw, defaults): TestAccount => ({ name: String(raw.name), cloudProvider: 'test', regions: [{ name: String(defaults.region) }] }),
        agents: (account, _clients, intervalMs) => [{ agentType: `${account.name}/r/A`, providerName: 'test', intervalMs } as unknown as Agent],
        readModels: { clusters: Model, instances: Model, loadBalancers: Model, securityGroups: Model } as never,
        keyParser,
        refresher: TestRefresher,
        aliases: { upsertThing: ['upsertThingDescription'] },
        operations: (deps) => [operation('upsertThing'), operation(`deleteThing-${deps.refresher instanceof TestRefresher}`)],
        routes: ({ cache }) => ({ routesCache: cache }),
      },
      (h) => (handle = h),
    );
    expect([definition.id, definition.configKey, definition.apiVersion, definition.version]).toEqual(['test', 'testing', '1.4.0', '0.0.1']);

    const { ctx, seen, cache } = recordingContext({ agentIntervalSeconds: 7, region: 'east' });
    await definition.register(ctx);
    expect(seen.namespaces).toEqual([['test', { supportsFullEviction: true }]]);
    expect(seen.operations).toEqual(['test/upsertThing', 'test/upsertThingDescription', 'test/deleteThing-true']);
    expect([...seen.readModels.keys()]).toEqual(['test/applications', 'test/clusters', 'test/instances', 'test/loadBalancers', 'test/securityGroups']);
    const clusters = seen.readModels.get('test/clusters') as Model;
    expect(clusters.cache).toBe(cache);
    expect(clusters.loadBalancers).toBe(seen.readModels.get('test/loadBalancers'));
    expect(seen.keyParser).toBe(keyParser);
    expect(seen.housekeeping.map((a) => [a.agentType, a.intervalMs])).toEqual([['test/ClusterCleanupAgent', 7000]]);

    const account = seen.accountType!.parse({ name: 'prod' }, {});
    expect(account.regions).toEqual([{ name: 'east' }]);
    expect(seen.accountType!.agents(account).map((a) => a.intervalMs)).toEqual([7000]);
    const h = handle as { accounts: AccountAgentRegistry<TestAccount>; clients: TestClients; clusters: unknown; routesCache: unknown };
    expect(h.accounts.get('prod')).toBe(account);
    expect(h.clusters).toBe(clusters);
    expect(h.routesCache).toBe(cache);
    await seen.accountType!.dispose!(account);
    expect(h.accounts.get('prod')).toBeUndefined();
    expect(h.clients.disposed).toEqual(['prod']);
  });

  it('lets the provider option override the configured agent interval', async () => {
    const definition = defineRegionalProvider({
      id: 'test',
      apiVersion: '1.4.0',
      version: '0.0.1',
      options: { agentIntervalMs: 50 },
      clients: () => new TestClients(),
      accounts: AccountAgentRegistry<TestAccount>,
      parse: (raw): TestAccount => ({ name: String(raw.name), cloudProvider: 'test', regions: [] }),
      agents: () => [],
      readModels: { clusters: Model, instances: Model, loadBalancers: Model, securityGroups: Model } as never,
      keyParser,
      refresher: TestRefresher,
      operations: () => [],
    });
    expect(definition.configKey).toBeUndefined();
    const { ctx, seen } = recordingContext({ agentIntervalSeconds: 7 });
    await definition.register(ctx);
    expect(seen.housekeeping.map((a) => a.intervalMs)).toEqual([50]);
  });
});
