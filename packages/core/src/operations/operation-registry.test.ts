import type { OperationDefinition } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { OperationRegistry, PROVIDER_INDEPENDENT } from './operation-registry.js';

const op = (name: string): OperationDefinition => ({
  name,
  converter: { convertDescription: (input) => input, convertOperation: () => ({ operate: async () => undefined }) },
});

describe('OperationRegistry provider-independent operations', () => {
  it('finds them under every cloud provider and for the legacy /ops, unless a provider has its own', () => {
    const registry = new OperationRegistry();
    const tags = op('upsertEntityTags');
    const own = op('deleteEntityTags');
    registry.register('aws', op('resizeServerGroup'));
    registry.register('kubernetes', own);
    registry.registerProviderIndependent(tags);
    registry.registerProviderIndependent(op('deleteEntityTags'));

    expect(registry.find('aws', 'upsertEntityTags')).toBe(tags);
    expect(registry.find('nowhere', 'upsertEntityTags')).toBe(tags);
    expect(registry.find('aws', 'upsertEntityTags@v2')).toBe(tags);
    expect(registry.find('kubernetes', 'deleteEntityTags')).toBe(own);
    expect(registry.findAnywhere('upsertEntityTags')).toEqual([{ cloudProvider: PROVIDER_INDEPENDENT, definition: tags }]);
    expect(registry.findAnywhere('deleteEntityTags')).toEqual([{ cloudProvider: 'kubernetes', definition: own }]);
    expect(registry.operationNames()).toEqual(['deleteEntityTags', 'resizeServerGroup', 'upsertEntityTags']);
    expect(registry.cloudProviders()).toEqual(['aws', 'kubernetes']);
    expect(() => registry.registerProviderIndependent(op('upsertEntityTags'))).toThrow(/already registered/);
  });
});
