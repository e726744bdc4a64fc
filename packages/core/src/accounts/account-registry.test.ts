import type { AccountCredentials, AccountTypeDefinition, Agent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { RegisteredAccountType } from '../providers/provider-host.js';
import type { AccountDefinition } from './account-definition.js';
import { AccountRegistry, accountOwner, type AccountAgentHost } from './account-registry.js';
import { definitionsFromConfig, definitionsFromStorage } from './definitions-from-config.js';

interface FakeAccount extends AccountCredentials {
  readonly region: string;
}

/** A host that records scheduling; the account type rejects `region: 'bad'` and counts disposals. */
function setup(options: { disposeHangs?: boolean } = {}) {
  const scheduled = new Map<string, string[]>();
  const disposed: string[] = [];
  const definition: AccountTypeDefinition<FakeAccount> = {
    cloudProvider: 'fake',
    parse(raw, defaults, source) {
      const region = (raw.region ?? defaults.region) as string | undefined;
      if (typeof region !== 'string' || region === 'bad') throw new Error(`region: "${String(region)}" is not a region`);
      if (raw.configOnly === true && source?.origin !== 'config') throw new Error(`configOnly: not allowed from ${String(source?.origin)}`);
      return { name: raw.name as string, cloudProvider: 'fake', region, permissions: raw.permissions as FakeAccount['permissions'] };
    },
    agents: (account) => [{ agentType: `${account.name}/${account.region}/Things`, providerName: 'fake' } as Agent],
    dispose: (account) => {
      disposed.push(account.name);
      if (options.disposeHangs) return new Promise<void>(() => {});
    },
  };
  const accountType: RegisteredAccountType = {
    providerId: 'fake',
    configKey: 'fake',
    definition: definition as unknown as RegisteredAccountType['definition'],
  };
  const host: AccountAgentHost = {
    accountType: (cloudProvider) => (cloudProvider === 'fake' ? accountType : undefined),
    scheduleAgents: (owner, agents) => {
      scheduled.set(
        owner,
        agents.map((agent) => agent.agentType),
      );
      return scheduled.get(owner)!;
    },
    unscheduleAgents: (owner) => {
      const types = scheduled.get(owner) ?? [];
      scheduled.delete(owner);
      return types;
    },
  };
  const registry = new AccountRegistry(host, { disposeTimeoutMs: 50 });
  return { registry, scheduled, disposed, accountType };
}

const def = (name: string, raw: Record<string, unknown> = {}, origin: AccountDefinition['origin'] = 'config'): AccountDefinition => ({
  cloudProvider: 'fake',
  name,
  raw: { name, ...raw },
  defaults: { region: 'us-east-1' },
  origin,
});

describe('AccountRegistry', () => {
  it("tells the provider's parse where each definition came from", async () => {
    const { registry } = setup();
    const report = await registry.sync([def('from-file', { configOnly: true }), def('from-api', { configOnly: true }, 'storage')]);
    expect(report.added).toEqual(['from-file']);
    expect(report.problems).toEqual([expect.objectContaining({ name: 'from-api', error: expect.stringMatching(/configOnly: not allowed from storage/) })]);
    expect(() => registry.validate(def('checked', { configOnly: true }, 'storage'))).toThrow(/not allowed from storage/);
  });

  it('adds, updates and removes accounts, scheduling and unscheduling their agents', async () => {
    const { registry, scheduled, disposed } = setup();
    const first = await registry.sync([def('prod'), def('test', { region: 'eu-west-1' })]);
    expect(first).toMatchObject({ added: ['prod', 'test'], updated: [], removed: [], problems: [] });
    expect(scheduled.get(accountOwner('prod'))).toEqual(['prod/us-east-1/Things']);
    expect(registry.all().map((a) => a.name)).toEqual(['prod', 'test']);

    const second = await registry.sync([def('prod'), def('test', { region: 'eu-west-2' })]);
    expect(second).toMatchObject({ added: [], updated: ['test'], unchanged: ['prod'], removed: [] });
    expect(scheduled.get(accountOwner('test'))).toEqual(['test/eu-west-2/Things']);
    expect(disposed).toEqual(['test']);

    const third = await registry.sync([def('test', { region: 'eu-west-2' })]);
    expect(third.removed).toEqual(['prod']);
    expect(scheduled.has(accountOwner('prod'))).toBe(false);
    expect(registry.get('prod')).toBeUndefined();
    expect(disposed).toEqual(['test', 'prod']);
  });

  it('reports a bad account without blocking the others, and keeps the running version of a broken update', async () => {
    const { registry, scheduled } = setup();
    const report = await registry.sync([def('bad', { region: 'bad' }), def('good'), def('', {}), { ...def('alien'), cloudProvider: 'mars' }]);
    expect(report.added).toEqual(['good']);
    expect(report.problems.map((p) => [p.name, p.error])).toEqual([
      ['', 'name: an account needs a non-empty name'],
      ['bad', 'invalid definition: region: "bad" is not a region'],
      ['alien', 'type: no loaded provider has account type "mars"'],
    ]);
    expect(registry.problems()).toHaveLength(3);

    const broken = await registry.sync([def('good', { region: 'bad' })]);
    expect(broken.problems).toHaveLength(1);
    expect(broken.removed).toEqual([]);
    expect((registry.get('good') as FakeAccount).region).toBe('us-east-1');
    expect(scheduled.get(accountOwner('good'))).toEqual(['good/us-east-1/Things']);
  });

  it('lets the first definition of a name win (config over storage)', async () => {
    const { registry } = setup();
    const report = await registry.sync([def('dup', { region: 'a' }), def('dup', { region: 'b' }, 'storage')]);
    expect((registry.get('dup') as FakeAccount).region).toBe('a');
    expect(report.problems[0]!.error).toContain('already defined by config');
  });

  it('does not wait forever for a hanging dispose', async () => {
    const { registry } = setup({ disposeHangs: true });
    await registry.sync([def('slow')]);
    const report = await registry.sync([]);
    expect(report.removed).toEqual(['slow']);
  });

  it('serializes concurrent syncs', async () => {
    const { registry } = setup();
    const [a, b] = await Promise.all([registry.sync([def('one')]), registry.sync([def('two')])]);
    expect(a.added).toEqual(['one']);
    expect(b).toMatchObject({ added: ['two'], removed: ['one'] });
  });

  it('validates a definition without loading it', () => {
    const { registry } = setup();
    expect(() => registry.validate(def('x', { region: 'bad' }))).toThrow('region: "bad" is not a region');
    expect(registry.validate(def('x')).name).toBe('x');
    expect(registry.get('x')).toBeUndefined();
  });

  it('reads definitions from config blocks and from storage with the block’s defaults', () => {
    const { accountType } = setup();
    const config = {
      fake: { enabled: true, region: 'us-west-2', accounts: [{ name: 'a' }, { name: 'b', region: 'x' }, 'junk'] },
      other: { accounts: [{ name: 'z' }] },
    };
    const fromConfig = definitionsFromConfig(config, [accountType]);
    expect(fromConfig.map((d) => [d.name, d.defaults, d.origin])).toEqual([
      ['a', { region: 'us-west-2' }, 'config'],
      ['b', { region: 'us-west-2' }, 'config'],
    ]);
    expect(definitionsFromConfig({ fake: { ...config.fake, enabled: false } }, [accountType])).toEqual([]);
    const stored = definitionsFromStorage([{ name: 's', type: 'fake', region: 'r' }], config, [accountType]);
    expect(stored).toEqual([{ cloudProvider: 'fake', name: 's', raw: { name: 's', region: 'r' }, defaults: { region: 'us-west-2' }, origin: 'storage' }]);
  });

  it('moves its version on every add, update and remove, never on an unchanged or failed sync, and never repeats one of another registry', async () => {
    const { registry } = setup();
    const versions = [registry.version];
    const step = async (definitions: AccountDefinition[]) => {
      await registry.sync(definitions);
      versions.push(registry.version);
    };
    await step([def('a')]); // added
    await step([def('a')]); // unchanged
    await step([def('a', { region: 'eu-1' })]); // updated
    await step([def('a', { region: 'eu-1' }), def('b', { region: 'bad' })]); // b fails, a unchanged
    await step([]); // removed
    const [start, added, unchanged, updated, failed, removed] = versions;
    expect(added).not.toBe(start);
    expect(unchanged).toBe(added);
    expect(updated).not.toBe(unchanged);
    expect(failed).toBe(updated);
    expect(removed).not.toBe(failed);
    expect(new Set([start, added, updated, removed]).size).toBe(4);
    expect(versions).not.toContain(setup().registry.version);
  });
});
