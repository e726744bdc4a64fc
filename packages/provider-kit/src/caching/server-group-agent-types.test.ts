import { authoritative, informative } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { serverGroupAgentTypes } from './server-group-agent-types.js';

describe('serverGroupAgentTypes', () => {
  it('owns server groups, contributes the standard types and keeps the cluster and application sibling edges', () => {
    expect(serverGroupAgentTypes()).toEqual({
      providedDataTypes: [
        authoritative('serverGroups'),
        informative('clusters'),
        informative('applications'),
        informative('instances'),
        informative('loadBalancers'),
      ],
      siblingEdges: [
        ['clusters', ['serverGroups', 'loadBalancers']],
        ['applications', ['clusters', 'serverGroups']],
      ],
    });
  });

  it('adds a cloud’s own types and edges (as AWS declares them)', () => {
    const types = serverGroupAgentTypes({ informative: ['launchTemplates', 'targetGroups'], clusterEdges: ['targetGroups'] });
    expect(types.providedDataTypes).toEqual([
      authoritative('serverGroups'),
      informative('clusters'),
      informative('applications'),
      informative('instances'),
      informative('loadBalancers'),
      informative('launchTemplates'),
      informative('targetGroups'),
    ]);
    expect(types.siblingEdges).toEqual([
      ['clusters', ['serverGroups', 'loadBalancers', 'targetGroups']],
      ['applications', ['clusters', 'serverGroups']],
    ]);
  });

  it('owns a standard type instead of contributing to it (as Azure caches its scale sets’ VMs)', () => {
    const types = serverGroupAgentTypes({ authoritative: ['instances'], siblingEdges: [['loadBalancers', ['serverGroups']]] });
    expect(types.providedDataTypes).toEqual([
      authoritative('serverGroups'),
      authoritative('instances'),
      informative('clusters'),
      informative('applications'),
      informative('loadBalancers'),
    ]);
    expect(types.siblingEdges).toEqual([
      ['clusters', ['serverGroups', 'loadBalancers']],
      ['applications', ['clusters', 'serverGroups']],
      ['loadBalancers', ['serverGroups']],
    ]);
  });
});
