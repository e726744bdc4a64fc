import {
  authoritative,
  cacheData,
  defineProvider,
  type AccountCredentials,
  type CachingAgent,
  type OnDemandAgent,
  type ProviderCache,
  type RunnableAgent,
} from '@stratus/plugin-api';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCacheStoreFactory } from '../cats/memory-cache-store.js';
import { KeyParserRegistry } from './key-parser-registry.js';
import { SingleNodeScheduler } from '../scheduler/single-node-scheduler.js';
import { ProviderHost } from './provider-host.js';
import { ProviderLoadError } from './provider-load-error.js';
import { MapReadModelRegistry } from './read-model-registry.js';

const schedulers: SingleNodeScheduler[] = [];
afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.stop(100);
});

function makeHost(options: { schedulingEnabled?: boolean } = {}) {
  const scheduler = new SingleNodeScheduler({ intervalMs: 20 });
  schedulers.push(scheduler);
  const readModels = new MapReadModelRegistry();
  const keyParsers = new KeyParserRegistry();
  const operations: string[] = [];
  const host = new ProviderHost({
    cacheStoreFactory: new MemoryCacheStoreFactory(),
    scheduler,
    readModels,
    keyParsers,
    onOperation: (cloudProvider, definition) => operations.push(`${cloudProvider}/${definition.name}`),
    ...options,
  });
  return { host, scheduler, readModels, keyParsers, operations };
}

/** A caching agent returning whatever `items()` says, counting its runs. */
function cachingAgent(agentType: string, items: () => string[], providerName = 'fake'): CachingAgent & { runs: number } {
  const agent = {
    agentType,
    providerName,
    runs: 0,
    providedDataTypes: [authoritative('things')],
    async loadData() {
      agent.runs++;
      return { cacheResults: { things: items().map((id) => cacheData(id, { id })) } };
    },
  };
  return agent;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ProviderHost', () => {
  it('hands providers a context that fills the registries and exposes their config block', async () => {
    const { host, readModels, keyParsers, operations } = makeHost();
    let seenConfig: Record<string, unknown> | undefined;
    const info = await host.register(
      defineProvider({
        id: 'fake',
        configKey: 'fakeCloud',
        apiVersion: '1.0.0',
        version: '2.3.4',
        register(context) {
          seenConfig = context.config;
          context.registerAccountType({ cloudProvider: 'fake', parse: (raw) => raw as unknown as AccountCredentials, agents: () => [] });
          context.registerOperation('fake', {
            name: 'doThing',
            converter: { convertDescription: (input) => input, convertOperation: () => ({ operate: async () => 'ok' }) },
          });
          context.registerReadModel('fake', 'instances', { getInstance: async () => undefined });
          context.registerKeyParser({ cloudProvider: 'fake', parseKey: () => undefined });
        },
      }),
      { region: 'here' },
      './fake-provider.ts',
    );
    expect(info).toEqual({ id: 'fake', version: '2.3.4', apiVersion: '1.0.0', configKey: 'fakeCloud', source: './fake-provider.ts' });
    expect(seenConfig).toEqual({ region: 'here' });
    expect(host.accountType('fake')?.configKey).toBe('fakeCloud');
    expect(operations).toEqual(['fake/doThing']);
    expect(readModels.get('fake', 'instances')).toBeDefined();
    expect(keyParsers.forCloudProvider('fake')).toHaveLength(1);
    expect(host.providers().map((p) => p.id)).toEqual(['fake']);
  });

  it('names the provider when its register throws or it claims a taken account type', async () => {
    const { host } = makeHost();
    const accountType = { cloudProvider: 'shared', parse: (raw: Record<string, unknown>) => raw as unknown as AccountCredentials, agents: () => [] };
    await host.register(defineProvider({ id: 'first', apiVersion: '1.0.0', version: '1', register: (c) => c.registerAccountType(accountType) }), {});
    const taken = await host
      .register(defineProvider({ id: 'second', apiVersion: '1.0.0', version: '1', register: (c) => c.registerAccountType(accountType) }), {})
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ProviderLoadError);
    expect((taken as Error).message).toBe('Provider second failed to load: account type "shared" is already registered by provider first');

    const thrown = await host
      .register(
        defineProvider({
          id: 'angry',
          apiVersion: '1.0.0',
          version: '1',
          register: () => {
            throw new Error('no credentials');
          },
        }),
        {},
        '@acme/angry',
      )
      .catch((e: unknown) => e);
    expect((thrown as Error).message).toBe('Provider angry (@acme/angry) failed to load: its register() threw: no credentials');
  });

  it('lets the provider check its own config block first, naming the key when it refuses', async () => {
    const { host } = makeHost();
    const seen: Record<string, unknown>[] = [];
    const checked = (id: string) =>
      defineProvider({
        id,
        configKey: 'acme',
        apiVersion: '1.4.0',
        version: '1',
        parseConfig(block) {
          if (block.mode !== undefined && block.mode !== 'fast') throw new Error(`mode: expected "fast", got ${JSON.stringify(block.mode)}`);
          return { ...block, mode: block.mode ?? 'fast' };
        },
        register: (context) => void seen.push(context.config),
      });
    await host.register(checked('good'), { accounts: [] });
    expect(seen).toEqual([{ accounts: [], mode: 'fast' }]);
    // A block that is not a map counts as empty, as without parseConfig.
    await host.register(checked('empty'), 'yes');
    expect(seen[1]).toEqual({ mode: 'fast' });

    const refused = await host.register(checked('bad'), { mode: 'slow' }, '@acme/bad').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderLoadError);
    expect((refused as Error).message).toBe('Provider bad (@acme/bad) failed to load: invalid configuration: acme.mode: expected "fast", got "slow"');
    expect(seen).toHaveLength(2);
  });

  it('schedules an owner’s agents, stores their results in the read view, and unschedules them together', async () => {
    const { host, scheduler } = makeHost();
    scheduler.start();
    const a = cachingAgent('prod/things', () => ['fake:things:a']);
    const b = cachingAgent('prod/more', () => ['fake:things:b']);
    expect(host.scheduleAgents('account:prod', [a, b])).toEqual(['prod/things', 'prod/more']);
    await until(async () => (await host.cache.getIdentifiers('things')).length === 2);
    expect(scheduler.scheduledAgentTypes().sort()).toEqual(['prod/more', 'prod/things']);

    expect(host.unscheduleAgents('account:prod').sort()).toEqual(['prod/more', 'prod/things']);
    expect(scheduler.scheduledAgentTypes()).toEqual([]);
    expect(scheduler.instrumentation.get('prod/things')).toBeUndefined();
    const runs = a.runs;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(a.runs).toBe(runs);
  });

  it('runs runnable agents and lists on-demand agents with their provider cache', async () => {
    const { host, scheduler } = makeHost();
    scheduler.start();
    let ran = 0;
    const housekeeping: RunnableAgent = { agentType: 'Cleanup', providerName: 'core', run: async () => void ran++ };
    const onDemand: OnDemandAgent & CachingAgent = {
      ...cachingAgent('prod/od', () => []),
      onDemandAgentType: 'prod/od-onDemand',
      handles: (type) => type === 'thing',
      handle: async () => undefined,
      pendingOnDemandRequests: async () => [],
    };
    await host.register(defineProvider({ id: 'p', apiVersion: '1.0.0', version: '1', register: (c) => c.registerAgents([housekeeping]) }), {});
    host.scheduleAgents('account:prod', [onDemand]);
    await until(() => ran > 0);
    const bindings = host.onDemandAgents();
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.agent.agentType).toBe('prod/od');
    expect(bindings[0]!.providerCache).toBe(host.providerCache('fake'));
    host.unscheduleAgents('account:prod');
    expect(host.onDemandAgents()).toHaveLength(0);
  });

  it('schedules nothing on an API-only replica but still serves on-demand agents', () => {
    const { host, scheduler } = makeHost({ schedulingEnabled: false });
    const onDemand = {
      ...cachingAgent('prod/od', () => []),
      onDemandAgentType: 'x',
      handles: () => true,
      handle: async () => undefined,
      pendingOnDemandRequests: async () => [],
    };
    expect(host.scheduleAgents('account:prod', [onDemand])).toEqual([]);
    expect(scheduler.scheduledAgentTypes()).toEqual([]);
    expect(host.onDemandAgents()).toHaveLength(1);
  });

  it('applies a namespace’s supportsFullEviction to its agents', async () => {
    const { host, scheduler } = makeHost();
    scheduler.start();
    const guarded = host.providerCache('guarded');
    const full = host.providerCache('full', { supportsFullEviction: true });
    let items = ['x:things:1'];
    host.scheduleAgents('account:a', [cachingAgent('a/g', () => items, 'guarded'), cachingAgent('a/f', () => items, 'full')]);
    const ids = (cache: ProviderCache) => cache.getIdentifiers('things');
    await until(async () => (await ids(guarded)).length === 1 && (await ids(full)).length === 1);
    items = [];
    await until(async () => (await ids(full)).length === 0);
    expect(await ids(guarded)).toEqual(['x:things:1']);
  });
});
