import {
  isCachingAgent,
  isOnDemandAgent,
  majorVersionOf,
  SPI_VERSION,
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
   * Whether the cloud behind `config` is empty on purpose. By default the suite demands cached keys
   * and at least one application (when an application read model is registered), so that the key
   * and read-model checks test something.
   */
  readonly allowEmpty?: boolean;
}

/** A provider registered in a {@link ProviderTestHost}, its accounts added and every caching agent run once. */
export interface ConformanceSubject {
  readonly provider: ProviderDefinition;
  readonly host: ProviderTestHost;
  readonly accounts: readonly AccountCredentials[];
  readonly parser: KeyParser | undefined;
  /** Each caching agent's own result, captured before it was stored. */
  readonly results: ReadonlyMap<string, CacheResult>;
  /** Agents whose run threw or whose result the cache refused, with the reason. */
  readonly runFailures: readonly string[];
  readonly allowEmpty: boolean;
}

/** One rule of the suite: returns its violations (empty when the provider keeps it). */
export interface ConformanceCheck {
  readonly title: string;
  check(subject: ConformanceSubject): Promise<string[]>;
}

/** Registers `provider` with `config`, adds its accounts and runs each caching agent once. */
export async function prepareConformanceSubject(
  provider: ProviderDefinition,
  config: Record<string, unknown>,
  options: { allowEmpty?: boolean } = {},
): Promise<ConformanceSubject> {
  const { accounts: raw = [], ...rest } = config as { accounts?: Record<string, unknown>[] };
  const host = await ProviderTestHost.create(provider, rest);
  const accounts = raw.map((account) => host.addAccount(account));
  const results = new Map<string, CacheResult>();
  const runFailures: string[] = [];
  for (const agent of host.cachingAgents()) {
    try {
      results.set(agent.agentType, await agent.loadData(host.providerCache(agent.providerName), { signal: new AbortController().signal }));
      // Stored the way the server stores it, so the read models see the data and the store's own rules apply.
      await host.runAgents((candidate) => candidate === agent);
    } catch (error) {
      runFailures.push(`${agent.agentType}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { provider, host, accounts, parser: host.keyParsers[0], results, runFailures, allowEmpty: options.allowEmpty ?? false };
}

const INSTANCE_COUNT_FIELDS = ['total', 'up', 'down', 'unknown', 'outOfService', 'starting'] as const;
type FieldKind = 'string' | 'boolean' | 'number' | 'array' | 'object';

function fieldProblems(what: string, value: unknown, fields: Record<string, FieldKind>): string[] {
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return Object.entries(fields).flatMap(([field, kind]) => {
    const actual = record[field];
    const ok =
      kind === 'array'
        ? Array.isArray(actual)
        : kind === 'object'
          ? typeof actual === 'object' && actual !== null && !Array.isArray(actual)
          : typeof actual === kind;
    return ok ? [] : [`${what}: ${field} must be ${kind === 'array' || kind === 'object' ? 'an' : 'a'} ${kind}, got ${JSON.stringify(actual)}`];
  });
}

function instanceProblems(what: string, instance: InstanceView, cloudProvider: string): string[] {
  const problems = fieldProblems(what, instance, { name: 'string', healthState: 'string', health: 'array', cloudProvider: 'string' });
  if (instance.cloudProvider !== cloudProvider) problems.push(`${what}: cloudProvider is ${JSON.stringify(instance.cloudProvider)}, not ${cloudProvider}`);
  return problems;
}

function serverGroupProblems(what: string, group: ServerGroupView, cloudProvider: string): string[] {
  const problems = fieldProblems(what, group, {
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
  if (problems.length > 0) return problems;
  if (group.cloudProvider !== cloudProvider) problems.push(`${what}: cloudProvider is ${JSON.stringify(group.cloudProvider)}, not ${cloudProvider}`);
  if (typeof group.moniker.app !== 'string') problems.push(`${what}: moniker.app must be a string`);
  problems.push(...fieldProblems(`${what}.capacity`, group.capacity, { min: 'number', max: 'number', desired: 'number' }));
  const counts = group.instanceCounts as unknown as Record<string, unknown>;
  for (const field of INSTANCE_COUNT_FIELDS) if (typeof counts[field] !== 'number') problems.push(`${what}: instanceCounts.${field} must be a number`);
  if (group.instanceCounts.total !== group.instances.length) {
    problems.push(`${what}: instanceCounts.total is ${group.instanceCounts.total} but it has ${group.instances.length} instances`);
  }
  group.instances.forEach((instance, i) => problems.push(...instanceProblems(`${what}.instances[${i}]`, instance, cloudProvider)));
  return problems;
}

function clusterProblems(what: string, cluster: ClusterView): string[] {
  return fieldProblems(what, cluster, {
    name: 'string',
    type: 'string',
    accountName: 'string',
    moniker: 'object',
    serverGroups: 'array',
    loadBalancers: 'array',
  });
}

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

const cloudProviderOf = (subject: ConformanceSubject) => subject.accounts[0]?.cloudProvider ?? subject.parser?.cloudProvider ?? subject.provider.id;

/** The rules, in the order the suite reports them. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = [
  {
    title: 'declares an id, a version and an apiVersion with the server SPI major version',
    async check({ provider }) {
      const problems: string[] = [];
      if (!/^[a-zA-Z][a-zA-Z0-9-]*$/.test(provider.id)) problems.push(`id ${JSON.stringify(provider.id)} must be letters, digits and dashes`);
      if (!/^\d+\.\d+\.\d+/.test(provider.version ?? '')) problems.push(`version ${JSON.stringify(provider.version)} must be a semver version`);
      if (majorVersionOf(provider.apiVersion) !== majorVersionOf(SPI_VERSION)) {
        problems.push(`apiVersion ${provider.apiVersion} has another major version than SPI ${SPI_VERSION}`);
      }
      return problems;
    },
  },
  {
    title: 'has accounts from the config, one cloud provider, and a key parser for it',
    async check(subject) {
      const problems: string[] = [];
      if (subject.accounts.length === 0) problems.push('the config must list at least one account');
      const clouds = new Set(subject.accounts.map((account) => account.cloudProvider));
      if (clouds.size > 1) problems.push(`accounts span several cloud providers: ${[...clouds].join(', ')}`);
      if (!subject.parser) problems.push('the provider registers no KeyParser');
      else if (subject.parser.cloudProvider !== cloudProviderOf(subject)) {
        problems.push(`the KeyParser is for ${subject.parser.cloudProvider}, the accounts for ${cloudProviderOf(subject)}`);
      }
      return problems;
    },
  },
  {
    title: 'runs every caching agent and stores its result',
    async check({ runFailures }) {
      return [...runFailures];
    },
  },
  {
    title: 'gives every account agent a unique type prefixed by `<account>/`',
    async check({ host, accounts }) {
      const problems: string[] = [];
      const names = new Set(accounts.map((account) => account.name));
      const agents = host.agents();
      if (!host.cachingAgents().some((agent) => agent.accountName !== undefined)) problems.push('no account has a caching agent');
      for (const agent of agents) {
        if (agent.providerName.includes(':')) problems.push(`${agent.agentType}: providerName ${agent.providerName} contains ':'`);
        if (agent.accountName === undefined) continue; // housekeeping agents bypass sharding
        if (!names.has(agent.accountName)) problems.push(`${agent.agentType}: accountName ${agent.accountName} is not a configured account`);
        if (!agent.agentType.startsWith(`${agent.accountName}/`)) problems.push(`${agent.agentType}: agent type must start with ${agent.accountName}/`);
      }
      const seen = new Set<string>();
      for (const agent of agents) {
        if (seen.has(agent.agentType)) problems.push(`${agent.agentType}: agent type used twice`);
        seen.add(agent.agentType);
      }
      return problems;
    },
  },
  {
    title: 'uses type names without `:`',
    async check({ host, results }) {
      const problems: string[] = [];
      for (const agent of host.cachingAgents()) {
        for (const type of agent.providedDataTypes) if (type.typeName.includes(':')) problems.push(`${agent.agentType} provides type ${type.typeName}`);
      }
      for (const [agentType, result] of results) {
        for (const type of new Set([...Object.keys(result.cacheResults), ...Object.keys(result.evictions ?? {})])) {
          if (type.includes(':')) problems.push(`${agentType} writes type ${type}`);
        }
      }
      return problems;
    },
  },
  {
    title: 'produces keys `<cloudProvider>:<type>:…` that its KeyParser parses',
    async check(subject) {
      const problems: string[] = [];
      const cloud = cloudProviderOf(subject);
      let checked = 0;
      for (const [agentType, result] of subject.results) {
        for (const { type, id, via } of idsOf(result)) {
          checked += 1;
          const parsed = subject.parser?.parseKey(id);
          // On-demand records are keyed by the resource key they refresh, so they parse as that resource.
          if (type === 'onDemand') {
            if (!parsed) problems.push(`${agentType} ${via}: ${id} does not parse`);
            continue;
          }
          if (!id.startsWith(`${cloud}:${type}:`)) problems.push(`${agentType} ${via}: ${id} does not start with ${cloud}:${type}:`);
          if (!parsed) problems.push(`${agentType} ${via}: ${id} does not parse`);
          else if (parsed.provider !== cloud || parsed.type !== type) {
            problems.push(`${agentType} ${via}: ${id} parses to provider ${parsed.provider}, type ${parsed.type}`);
          }
        }
      }
      if (checked === 0 && !subject.allowEmpty) problems.push('the agents produced no keys to check (seed the cloud, or set allowEmpty)');
      return problems;
    },
  },
  {
    title: 'gives every operation a validator that names the field of an empty description',
    async check({ host }) {
      const problems: string[] = [];
      for (const [name, definition] of host.operations) {
        if (!definition.validator) {
          problems.push(`operation ${name} has no validator`);
          continue;
        }
        let converted: unknown;
        try {
          converted = definition.converter.convertDescription({});
        } catch (error) {
          // Refusing outright is allowed, as long as it says why.
          if (!(error instanceof Error) || error.message === '') problems.push(`operation ${name}: convertDescription({}) threw without a message`);
          continue;
        }
        const errors: { field: string; code: string }[] = [];
        try {
          await definition.validator.validate(
            converted,
            {
              reject: (field, code) => void errors.push({ field, code }),
              get hasErrors() {
                return errors.length > 0;
              },
            },
            [],
          );
        } catch (error) {
          problems.push(`operation ${name}: the validator threw on an empty description (${String(error)}) instead of rejecting fields`);
          continue;
        }
        if (errors.length === 0) problems.push(`operation ${name}: an empty description passes validation`);
        if (errors.some((error) => error.field === '')) problems.push(`operation ${name}: a rejection names no field`);
      }
      return problems;
    },
  },
  {
    title: 'refreshes a cached server group on demand and ignores requests for other accounts',
    async check(subject) {
      const { host } = subject;
      const problems: string[] = [];
      // A refresh of a server group the cache holds, as Orca asks after changing one: it must not
      // throw and the group must stay readable (the pending-record shapes are checked below).
      const cloud = cloudProviderOf(subject);
      const onDemandAgents = host.agents().filter(isOnDemandAgent);
      if (onDemandAgents.some((agent) => agent.handles('ServerGroup', cloud)) && host.readModels.applications && host.readModels.clusters) {
        const [app] = await host.readModels.applications.getApplications(false);
        const [cluster] = app ? await host.readModels.clusters.getClusters(app.name, true) : [];
        const group = cluster?.serverGroups[0];
        if (group) {
          const data = { account: group.account, credentials: group.account, region: group.region, serverGroupName: group.name, cloudProvider: cloud };
          try {
            await host.onDemand('ServerGroup', cloud, data);
            const after = await host.readModels.clusters.getServerGroup(group.account, group.region, group.name, true);
            if (after?.name !== group.name) problems.push(`server group ${group.name} is not readable after an on-demand refresh`);
          } catch (error) {
            problems.push(`on-demand refresh of ${group.name} threw: ${String(error)}`);
          }
        }
      }
      for (const agent of onDemandAgents) {
        if (typeof agent.onDemandAgentType !== 'string') problems.push(`${agent.agentType}: onDemandAgentType must be a string`);
        if (!isCachingAgent(agent)) problems.push(`${agent.agentType}: on-demand agents must be caching agents (only those are scheduled)`);
        const cache = host.providerCache(agent.providerName);
        const data = { account: '__conformance-no-such-account__', region: '__nowhere__', serverGroupName: 'none-v000', name: 'none' };
        if ((await agent.handle(cache, data)) !== undefined) problems.push(`${agent.agentType}: handle() answered a request for another account`);
        const pending = await agent.pendingOnDemandRequests(cache);
        if (!Array.isArray(pending)) {
          problems.push(`${agent.agentType}: pendingOnDemandRequests() must return an array`);
          continue;
        }
        for (const request of pending) {
          problems.push(
            ...fieldProblems(`${agent.agentType} pending request ${request.id}`, request, {
              id: 'string',
              details: 'object',
              cacheTime: 'number',
              processedCount: 'number',
            }),
          );
        }
      }
      return problems;
    },
  },
  {
    title: "returns Clouddriver's required fields from its read models",
    async check(subject) {
      const problems: string[] = [];
      const models = subject.host.readModels;
      const cloud = cloudProviderOf(subject);
      // Image providers (Docker Registry) serve reads through their own routes, not read models.
      if (Object.keys(models).length === 0 && subject.host.routes.length === 0) problems.push('the provider registers no read model and no routes');
      if (models.applications) {
        const applications = await models.applications.getApplications(true);
        if (applications.length === 0 && !subject.allowEmpty) problems.push('no application was cached (seed the cloud, or set allowEmpty)');
        for (const app of applications) {
          problems.push(...fieldProblems(`application ${app.name}`, app, { name: 'string', attributes: 'object', clusterNames: 'object' }));
          if ((await models.applications.getApplication(app.name))?.name !== app.name) problems.push(`getApplication(${app.name}) does not return it`);
          if (!models.clusters) continue;
          const clusters = await models.clusters.getClusters(app.name, true);
          const names = Object.values(await models.clusters.getClusterNames(app.name))
            .flat()
            .sort();
          const listed = clusters.map((cluster) => cluster.name).sort();
          if (JSON.stringify(names) !== JSON.stringify(listed))
            problems.push(`getClusterNames(${app.name}) ${JSON.stringify(names)} ≠ getClusters ${JSON.stringify(listed)}`);
          for (const cluster of clusters) {
            problems.push(...clusterProblems(`cluster ${cluster.name}`, cluster));
            for (const group of cluster.serverGroups ?? []) {
              problems.push(...serverGroupProblems(`server group ${group.name}`, group, cloud));
              const again = await models.clusters.getServerGroup(group.account, group.region, group.name, true).catch((error: unknown) => {
                problems.push(`getServerGroup(${group.account}, ${group.region}, ${group.name}) threw: ${String(error)}`);
                return null;
              });
              if (again === null) continue;
              if (again?.name !== group.name) {
                problems.push(`getServerGroup(${group.account}, ${group.region}, ${group.name}) does not return it`);
                continue;
              }
              problems.push(...serverGroupProblems(`getServerGroup ${group.name}`, again, cloud));
              const first = group.instances?.[0];
              if (first && models.instances) {
                const instance = await models.instances.getInstance(group.account, group.region, first.name);
                if (instance?.name !== first.name) problems.push(`getInstance(${group.account}, ${group.region}, ${first.name}) does not return it`);
                else problems.push(...instanceProblems(`instance ${first.name}`, instance, cloud));
              }
            }
          }
        }
      }
      for (const lb of (await models.loadBalancers?.list()) ?? []) {
        problems.push(
          ...fieldProblems(`load balancer ${lb.name}`, lb, {
            name: 'string',
            type: 'string',
            cloudProvider: 'string',
            account: 'string',
            serverGroups: 'array',
          }),
        );
      }
      for (const group of (await models.securityGroups?.getAll(true)) ?? []) {
        problems.push(
          ...fieldProblems(`security group ${group.name}`, group, {
            type: 'string',
            cloudProvider: 'string',
            id: 'string',
            name: 'string',
            accountName: 'string',
            region: 'string',
          }),
        );
      }
      return problems;
    },
  },
  {
    title: 'returns undefined, not an error, for resources that do not exist',
    async check({ host, accounts }) {
      const problems: string[] = [];
      const models = host.readModels;
      const account = accounts[0]?.name ?? 'none';
      const probes: [string, () => Promise<unknown> | undefined][] = [
        ['getApplication', () => models.applications?.getApplication('conformance-no-such-app')],
        ['getServerGroup', () => models.clusters?.getServerGroup(account, 'no-such-region', 'conformance-none-v000')],
        ['getCluster', () => models.clusters?.getCluster('conformance-no-such-app', account, 'conformance-no-such-app', true)],
        ['getInstance', () => models.instances?.getInstance(account, 'no-such-region', 'no-such-instance')],
      ];
      for (const [name, probe] of probes) {
        try {
          const value = await probe();
          if (value !== undefined) problems.push(`${name} returned ${JSON.stringify(value).slice(0, 120)} for a resource that does not exist`);
        } catch (error) {
          problems.push(`${name} threw for a resource that does not exist: ${String(error)}`);
        }
      }
      return problems;
    },
  },
];

/**
 * The provider conformance suite: the rules the server and Clouddriver's clients rely on, checked
 * against one provider with one config. Call it at the top level of a test file:
 *
 * ```ts
 * runProviderConformance(myProvider, { setup: startFake, config: () => ({ accounts: [{ name: 'test', endpoint: fake.url }] }) });
 * ```
 *
 * It registers the provider in a {@link ProviderTestHost}, adds the configured accounts, runs every
 * caching agent once and reports one test per rule in {@link CONFORMANCE_CHECKS}: the definition
 * (id, SPI major version); agent types start with `<account>/` and are unique; type names contain no
 * `:`; every key an agent produces (items, relationships, evictions) starts with
 * `<cloudProvider>:<type>:` and parses with the provider's KeyParser to the same provider and type;
 * every operation has a validator that rejects an empty description naming a field; a cached server
 * group refreshes on demand and on-demand agents ignore other accounts; read models return
 * Clouddriver's required fields and `undefined` for what does not exist. A failing test lists every
 * violation.
 */
export function runProviderConformance(provider: ProviderDefinition, options: ProviderConformanceOptions): void {
  describe(options.name ?? `provider conformance: ${provider.id}`, () => {
    let subject: ConformanceSubject | undefined;

    beforeAll(async () => {
      await options.setup?.();
      const config = typeof options.config === 'function' ? await options.config() : options.config;
      subject = await prepareConformanceSubject(provider, config, { allowEmpty: options.allowEmpty ?? false });
    });

    afterAll(async () => {
      for (const account of subject?.accounts ?? []) await subject!.host.removeAccount(account.name);
      await options.teardown?.();
    });

    for (const rule of CONFORMANCE_CHECKS) {
      it(rule.title, async () => {
        expect(await rule.check(subject!)).toEqual([]);
      });
    }
  });
}
