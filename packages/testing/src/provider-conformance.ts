import {
  SPI_VERSION,
  isCachingAgent,
  isOnDemandAgent,
  majorVersionOf,
  type AccountCredentials,
  type CacheResult,
  type ClusterView,
  type InstanceView,
  type KeyParser,
  type ProviderDefinition,
  type ServerGroupView,
} from '@stratus/plugin-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderTestHost } from './synthetic/provider-test-host.js';

type Awaitable<T> = T | Promise<T>;

/** How {@link runProviderConformance} sets the provider up. */
export interface ProviderConformanceOptions {
  /**
   * The provider's config block (`{accounts: [...]}`, as under its config key). A function is called
   * in `beforeAll`, after `setup`, so it can point accounts at a fake cloud started there.
   */
  readonly config: Record<string, unknown> | (() => Awaitable<Record<string, unknown>>);
  /** Starts what the provider talks to (a fake cloud API); runs before `config` is read. */
  readonly setup?: () => Awaitable<void>;
  /** Stops what `setup` started. */
  readonly teardown?: () => Awaitable<void>;
  /** The suite's name in the test report (default `provider conformance: <id>`). */
  readonly name?: string;
  /**
   * Whether the cloud behind `config` is empty on purpose. By default the suite demands at least one
   * application (when an application read model is registered) so that the read-model checks test something.
   */
  readonly allowEmpty?: boolean;
}

const CLOUDDRIVER_INSTANCE_COUNTS = ['total', 'up', 'down', 'unknown', 'outOfService', 'starting'] as const;

/** Every id a result mentions: item ids, relationship targets and explicit evictions. */
function idsOf(result: CacheResult): { type: string; id: string; via: string }[] {
  const ids: { type: string; id: string; via: string }[] = [];
  for (const [type, items] of Object.entries(result.cacheResults)) {
    for (const item of items) {
      ids.push({ type, id: item.id, via: `cacheResults.${type}` });
      for (const [related, targets] of Object.entries(item.relationships)) {
        for (const target of targets) ids.push({ type: related, id: target, via: `${item.id} → relationships.${related}` });
      }
    }
  }
  for (const [type, evicted] of Object.entries(result.evictions ?? {})) for (const id of evicted) ids.push({ type, id, via: `evictions.${type}` });
  return ids;
}

function expectFields(what: string, value: Record<string, unknown>, fields: Record<string, 'string' | 'boolean' | 'number' | 'array' | 'object'>): void {
  for (const [field, kind] of Object.entries(fields)) {
    const actual = value[field];
    const ok = kind === 'array' ? Array.isArray(actual) : kind === 'object' ? typeof actual === 'object' && actual !== null && !Array.isArray(actual) : typeof actual === kind;
    expect(ok, `${what}: field ${field} must be ${kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`}, got ${JSON.stringify(actual)}`).toBe(true);
  }
}

function checkInstance(what: string, instance: InstanceView, cloudProvider: string): void {
  expectFields(what, instance, { name: 'string', healthState: 'string', health: 'array', cloudProvider: 'string' });
  expect(instance.cloudProvider, `${what}: cloudProvider`).toBe(cloudProvider);
}

function checkServerGroup(what: string, group: ServerGroupView, cloudProvider: string, withInstances: boolean): void {
  expectFields(what, group, {
    name: 'string',
    moniker: 'object',
    type: 'string',
    cloudProvider: 'string',
    account: 'string',
    region: 'string',
    disabled: 'boolean',
    zones: 'array',
    instances: 'array',
    loadBalancers: 'array',
    securityGroups: 'array',
    capacity: 'object',
    instanceCounts: 'object',
  });
  expect(group.cloudProvider, `${what}: cloudProvider`).toBe(cloudProvider);
  expect(typeof group.moniker.app, `${what}: moniker.app`).toBe('string');
  expectFields(`${what}.capacity`, group.capacity as unknown as Record<string, unknown>, { min: 'number', max: 'number', desired: 'number' });
  const counts = group.instanceCounts as unknown as Record<string, unknown>;
  for (const field of CLOUDDRIVER_INSTANCE_COUNTS) expect(typeof counts[field], `${what}.instanceCounts.${field}`).toBe('number');
  if (withInstances) {
    expect(group.instanceCounts.total, `${what}: instanceCounts.total counts the instances`).toBe(group.instances.length);
    group.instances.forEach((instance, i) => checkInstance(`${what}.instances[${i}]`, instance, cloudProvider));
  }
}

function checkCluster(what: string, cluster: ClusterView): void {
  expectFields(what, cluster, { name: 'string', type: 'string', accountName: 'string', moniker: 'object', serverGroups: 'array', loadBalancers: 'array' });
}

/**
 * The provider conformance suite: the rules the server and Clouddriver's clients rely on, checked
 * against one provider with one config. Call it at the top level of a test file:
 *
 * ```ts
 * runProviderConformance(myProvider, { setup: startFake, config: () => ({ accounts: [{ name: 'test', endpoint: fake.url }] }) });
 * ```
 *
 * It registers the provider in a {@link ProviderTestHost}, adds the configured accounts, runs every
 * caching agent once and checks: the definition (id, SPI major version); agent types start with
 * `<account>/` and are unique; type names contain no `:`; every key an agent produces (items,
 * relationships, evictions) starts with `<cloudProvider>:<type>:` and parses with the provider's
 * {@link KeyParser} to the same provider and type; every operation has a validator and rejects an
 * empty description naming a field; on-demand agents ignore other accounts; and the registered read
 * models return Clouddriver's required fields.
 */
export function runProviderConformance(provider: ProviderDefinition, options: ProviderConformanceOptions): void {
  describe(options.name ?? `provider conformance: ${provider.id}`, () => {
    let host: ProviderTestHost;
    let accounts: AccountCredentials[] = [];
    let parser: KeyParser | undefined;
    const results = new Map<string, CacheResult>();

    beforeAll(async () => {
      await options.setup?.();
      const config = typeof options.config === 'function' ? await options.config() : options.config;
      const { accounts: raw = [], ...rest } = config as { accounts?: Record<string, unknown>[] };
      host = await ProviderTestHost.create(provider, rest);
      accounts = raw.map((account) => host.addAccount(account));
      parser = host.keyParsers[0];
      // Each caching agent's own result, captured before it is stored, so key checks see exactly what it produced.
      for (const agent of host.cachingAgents()) {
        results.set(agent.agentType, await agent.loadData(host.providerCache(agent.providerName), { signal: new AbortController().signal }));
      }
      await host.runAgents();
    });

    afterAll(async () => {
      for (const account of accounts) await host?.removeAccount(account.name);
      await options.teardown?.();
    });

    const cloudProvider = () => accounts[0]!.cloudProvider;

    it('declares an id, a version and an apiVersion with the server SPI major version', () => {
      expect(provider.id).toMatch(/^[a-zA-Z][a-zA-Z0-9-]*$/);
      expect(provider.version, 'version').toMatch(/^\d+\.\d+\.\d+/);
      expect(majorVersionOf(provider.apiVersion), `apiVersion ${provider.apiVersion} vs SPI ${SPI_VERSION}`).toBe(majorVersionOf(SPI_VERSION));
    });

    it('has accounts from the config, one cloud provider, and a key parser for it', () => {
      expect(accounts.length, 'the config must list at least one account').toBeGreaterThan(0);
      expect(new Set(accounts.map((account) => account.cloudProvider)).size).toBe(1);
      expect(parser, 'the provider must register a KeyParser').toBeDefined();
      expect(parser!.cloudProvider).toBe(cloudProvider());
      expect(parser!.cloudProvider).not.toContain(':');
    });

    it('gives every account agent a unique type prefixed by `<account>/`', () => {
      const agents = host.agents();
      expect(agents.length).toBeGreaterThan(0);
      const names = new Set(accounts.map((account) => account.name));
      for (const agent of agents) {
        expect(agent.providerName, `${agent.agentType}: providerName`).toMatch(/^[^:]+$/);
        if (agent.accountName === undefined) continue; // housekeeping agents bypass sharding
        expect(names.has(agent.accountName), `${agent.agentType}: accountName ${agent.accountName} is a configured account`).toBe(true);
        expect(agent.agentType.startsWith(`${agent.accountName}/`), `${agent.agentType} starts with ${agent.accountName}/`).toBe(true);
      }
      const types = agents.map((agent) => agent.agentType);
      expect(new Set(types).size, 'agent types are unique').toBe(types.length);
      expect(host.cachingAgents().filter((agent) => agent.accountName !== undefined).length, 'at least one account caching agent').toBeGreaterThan(0);
    });

    it('uses type names without `:`', () => {
      for (const agent of host.cachingAgents()) {
        for (const type of agent.providedDataTypes) expect(type.typeName, `${agent.agentType} provides ${type.typeName}`).not.toContain(':');
      }
      for (const [agentType, result] of results) {
        for (const type of [...Object.keys(result.cacheResults), ...Object.keys(result.evictions ?? {})]) expect(type, `${agentType} writes ${type}`).not.toContain(':');
      }
    });

    it('produces keys `<cloudProvider>:<type>:…` that its KeyParser parses', () => {
      let checked = 0;
      for (const [agentType, result] of results) {
        for (const { type, id, via } of idsOf(result)) {
          // On-demand records are keyed by the resource key they refresh, so they parse as that resource.
          if (type === 'onDemand') {
            expect(parser!.parseKey(id), `${agentType} ${via}: ${id} parses`).toBeDefined();
            continue;
          }
          expect(id.startsWith(`${cloudProvider()}:${type}:`), `${agentType} ${via}: ${id} starts with ${cloudProvider()}:${type}:`).toBe(true);
          const parsed = parser!.parseKey(id);
          expect(parsed, `${agentType} ${via}: ${id} parses`).toBeDefined();
          expect(parsed!.provider, `${id}: parsed provider`).toBe(cloudProvider());
          expect(parsed!.type, `${id}: parsed type`).toBe(type);
          checked += 1;
        }
      }
      if (!options.allowEmpty) expect(checked, 'the agents produced no keys to check').toBeGreaterThan(0);
    });

    it('gives every operation a validator that names the field of an empty description', async () => {
      for (const [name, definition] of host.operations) {
        expect(definition.validator, `operation ${name} has a validator`).toBeDefined();
        let converted: unknown;
        try {
          converted = definition.converter.convertDescription({});
        } catch (error) {
          // Refusing outright is allowed, as long as it says why.
          expect(error instanceof Error && error.message.length > 0, `${name}: convertDescription({}) threw without a message`).toBe(true);
          continue;
        }
        const errors: { field: string; code: string }[] = [];
        await definition.validator!.validate(
          converted,
          {
            reject: (field, code) => void errors.push({ field, code }),
            get hasErrors() {
              return errors.length > 0;
            },
          },
          [],
        );
        expect(errors.length, `${name}: an empty description is rejected`).toBeGreaterThan(0);
        for (const error of errors) expect(error.field, `${name}: every rejection names a field`).not.toBe('');
      }
    });

    it('lets on-demand agents ignore requests for other accounts', async () => {
      for (const agent of host.agents().filter(isOnDemandAgent)) {
        expect(typeof agent.onDemandAgentType, `${agent.agentType}: onDemandAgentType`).toBe('string');
        expect(isCachingAgent(agent), `${agent.agentType}: on-demand agents are caching agents (only those are scheduled)`).toBe(true);
        const data = { account: '__conformance-no-such-account__', region: '__nowhere__', serverGroupName: 'none-v000', name: 'none' };
        expect(await agent.handle(host.providerCache(agent.providerName), data), `${agent.agentType}: handle() for another account`).toBeUndefined();
        expect(Array.isArray(await agent.pendingOnDemandRequests(host.providerCache(agent.providerName)))).toBe(true);
      }
    });

    it("returns Clouddriver's required fields from its read models", async () => {
      const models = host.readModels;
      const cp = cloudProvider();
      if (models.applications) {
        const applications = await models.applications.getApplications(true);
        if (!options.allowEmpty) expect(applications.length, 'no application was cached').toBeGreaterThan(0);
        for (const app of applications) {
          expectFields(`application ${app.name}`, app as unknown as Record<string, unknown>, { name: 'string', attributes: 'object', clusterNames: 'object' });
          expect((await models.applications.getApplication(app.name))?.name, `getApplication(${app.name})`).toBe(app.name);
          if (!models.clusters) continue;
          const clusters = await models.clusters.getClusters(app.name, true);
          const names = await models.clusters.getClusterNames(app.name);
          expect(Object.values(names).flat().sort(), `getClusterNames(${app.name}) matches getClusters`).toEqual(clusters.map((c) => c.name).sort());
          for (const cluster of clusters) {
            checkCluster(`cluster ${cluster.name}`, cluster);
            for (const group of cluster.serverGroups) {
              checkServerGroup(`server group ${group.name}`, group, cp, true);
              const again = await models.clusters.getServerGroup(group.account, group.region, group.name, true);
              expect(again?.name, `getServerGroup(${group.account}, ${group.region}, ${group.name})`).toBe(group.name);
              checkServerGroup(`getServerGroup ${group.name}`, again!, cp, true);
              const first = group.instances[0];
              if (first && models.instances) {
                const instance = await models.instances.getInstance(group.account, group.region, first.name);
                expect(instance?.name, `getInstance(${group.account}, ${group.region}, ${first.name})`).toBe(first.name);
                checkInstance(`instance ${first.name}`, instance!, cp);
              }
            }
          }
        }
      }
      if (models.loadBalancers) {
        for (const lb of await models.loadBalancers.list()) {
          expectFields(`load balancer ${lb.name}`, lb, { name: 'string', type: 'string', cloudProvider: 'string', account: 'string', serverGroups: 'array' });
          expect(lb.cloudProvider).toBe(cp);
        }
      }
      if (models.securityGroups) {
        for (const group of await models.securityGroups.getAll(true)) {
          expectFields(`security group ${group.name}`, group, { type: 'string', cloudProvider: 'string', id: 'string', name: 'string', accountName: 'string', region: 'string' });
          expect(group.cloudProvider).toBe(cp);
        }
      }
      expect(Object.keys(models).length, 'the provider registers at least one read model').toBeGreaterThan(0);
    });

    it('returns undefined, not an error, for resources that do not exist', async () => {
      const models = host.readModels;
      const account = accounts[0]!.name;
      expect(await models.applications?.getApplication('conformance-no-such-app')).toBeUndefined();
      expect(await models.clusters?.getServerGroup(account, 'no-such-region', 'conformance-none-v000')).toBeUndefined();
      expect(await models.clusters?.getCluster('conformance-no-such-app', account, 'conformance-no-such-app', true)).toBeUndefined();
      expect(await models.instances?.getInstance(account, 'no-such-region', 'no-such-instance')).toBeUndefined();
    });
  });
}
