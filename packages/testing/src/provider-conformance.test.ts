import { authoritative, cacheData, defineProvider, type CachingAgent, type OnDemandAgent } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_CHECKS, prepareConformanceSubject, runProviderConformance } from './provider-conformance.js';
import { SyntheticCloudRegistry } from './synthetic/synthetic-cloud-registry.js';
import { createSyntheticProvider } from './synthetic/synthetic-provider.js';

// The synthetic provider is the reference: it must pass its own suite.
runProviderConformance(createSyntheticProvider({ clouds: new SyntheticCloudRegistry() }), {
  config: {
    accounts: [
      { name: 'conf-prod', regions: ['us-east-1', 'us-west-2'], seed: 3, applications: 2, serverGroupsPerApplication: 2, instancesPerServerGroup: 2 },
      { name: 'conf-test', regions: ['eu-west-1'], seed: 4, applications: 1, serverGroupsPerApplication: 1, instancesPerServerGroup: 1 },
    ],
  },
});

/** A provider that breaks one rule of each kind. */
const brokenAgent = (account: string): CachingAgent & OnDemandAgent => ({
  agentType: 'BrokenAgent', // no `<account>/` prefix
  providerName: 'broken',
  accountName: account,
  onDemandAgentType: 'BrokenAgent-OnDemand',
  providedDataTypes: [authoritative('server:groups'), authoritative('instances')],
  loadData: async () => ({
    cacheResults: {
      'server:groups': [cacheData('broken:server:groups:x', { name: 'x' })],
      instances: [cacheData('other:instances:i-1', { name: 'i-1' }, { serverGroups: ['broken:serverGroups:a:b'] })],
    },
  }),
  handles: () => true,
  handle: async () => ({ sourceAgentType: 'BrokenAgent', authoritativeTypes: [], cacheResult: { cacheResults: {} } }), // answers every account
  pendingOnDemandRequests: async () => [],
});

const broken = defineProvider({
  id: 'broken',
  apiVersion: '0.9.0',
  version: '1.0.0',
  register(context) {
    context.registerAccountType({
      cloudProvider: 'broken',
      parse: (raw) => ({ name: String(raw.name), cloudProvider: 'broken' }),
      agents: (a) => [brokenAgent(a.name)],
    });
    context.registerOperation('broken', {
      name: 'noValidator',
      converter: { convertDescription: (input) => input, convertOperation: () => ({ operate: async () => undefined }) },
    });
    context.registerOperation('broken', {
      name: 'lenient',
      converter: { convertDescription: (input) => input, convertOperation: () => ({ operate: async () => undefined }) },
      validator: { validate: () => {} },
    });
    context.registerKeyParser({
      cloudProvider: 'broken',
      parseKey: (key) => (key.startsWith('broken:serverGroups:') ? { provider: 'broken', type: 'serverGroups' } : undefined),
    });
    context.registerReadModel('broken', 'applications', {
      getApplications: async () => [{ name: 'app', attributes: {}, clusterNames: {} }],
      getApplication: async () => ({ name: 'app', attributes: {}, clusterNames: {} }), // returns something for every name
    });
    context.registerReadModel('broken', 'clusters', {
      getClusterNames: async () => ({ acct: ['app-main'] }),
      getClusters: async () => [
        {
          name: 'app-main',
          type: 'broken',
          accountName: 'acct',
          moniker: { app: 'app' },
          loadBalancers: [],
          serverGroups: [{ name: 'app-main-v001', cloudProvider: 'broken', account: 'acct', region: 'r', instances: [] } as never],
        },
      ],
      getCluster: async () => undefined,
      getServerGroup: async () => {
        throw new Error('boom');
      },
    });
  },
});

describe('the conformance checks', () => {
  it('report each rule a broken provider breaks', async () => {
    const subject = await prepareConformanceSubject(broken, { accounts: [{ name: 'acct' }] });
    const report = Object.fromEntries(
      await Promise.all(CONFORMANCE_CHECKS.map(async (rule) => [rule.title, (await rule.check(subject).catch((e) => [`threw ${e}`])).join('\n')])),
    );
    const [definition, accounts, runs, agentTypes, typeNames, keys, operations, onDemand, readModels, missing] = CONFORMANCE_CHECKS.map(
      (rule) => report[rule.title],
    );
    expect(definition).toContain('apiVersion 0.9.0');
    expect(accounts).toBe('');
    expect(runs).toContain("BrokenAgent: Invalid cache type name 'server:groups'");
    expect(agentTypes).toContain('BrokenAgent: agent type must start with acct/');
    expect(typeNames).toContain('provides type server:groups');
    expect(keys).toContain('other:instances:i-1 does not start with broken:instances:');
    expect(keys).toContain('broken:server:groups:x does not parse');
    expect(operations).toContain('operation noValidator has no validator');
    expect(operations).toContain('operation lenient: an empty description passes validation');
    expect(onDemand).toContain('handle() answered a request for another account');
    expect(readModels).toContain('server group app-main-v001: type must be a string');
    expect(readModels).toContain('server group app-main-v001: disabled must be a boolean');
    expect(readModels).toContain('getServerGroup(acct, r, app-main-v001) threw: Error: boom');
    expect(missing).toContain('getApplication returned');
    expect(missing).toContain('getServerGroup threw');
  });
});
