import { describe, expect, it } from 'vitest';
import { serverGroupSegmentFields } from './key-fields.js';
import { STANDARD_TYPES, standardTypes } from './standard-keys.js';

describe('serverGroupSegmentFields', () => {
  const base = { provider: 'test', type: 'serverGroups' };

  it('parses cluster, account, region and name, lower-casing the application where the cloud does', () => {
    expect(serverGroupSegmentFields(base, ['Shop-web', 'prod', 'east', 'Shop-web-v002'], { lowerCaseApplication: true })).toEqual({
      provider: 'test',
      type: 'serverGroups',
      application: 'shop',
      cluster: 'Shop-web',
      account: 'prod',
      region: 'east',
      serverGroup: 'Shop-web-v002',
      name: 'Shop-web-v002',
      stack: 'web',
      sequence: '2',
    });
    expect(serverGroupSegmentFields(base, ['Shop-web', 'prod', 'east', 'Shop-web-v002'], { lowerCaseApplication: false })?.application).toBe('Shop');
  });

  it('takes a last zone segment only where the cloud has zonal groups', () => {
    const zonal = ['shop', 'prod', 'us-central1', 'shop-v001', 'us-central1-a'];
    expect(serverGroupSegmentFields(base, zonal, { lowerCaseApplication: true, zonal: true })?.zone).toBe('us-central1-a');
    expect(serverGroupSegmentFields(base, zonal, { lowerCaseApplication: true })).toBeUndefined();
    expect(serverGroupSegmentFields(base, ['shop', 'prod', 'east'], { lowerCaseApplication: true, zonal: true })).toBeUndefined();
  });
});

describe('standardTypes', () => {
  it('adds the cloud’s own types, each named by itself, to the standard ones', () => {
    const types = standardTypes('networks', 'images');
    expect(types).toEqual({ ...STANDARD_TYPES, networks: 'networks', images: 'images' });
    expect(types.serverGroups).toBe('serverGroups');
  });
});
