import { describe, expect, it } from 'vitest';
import { accountFields } from './account-fields.js';

describe('accountFields regions', () => {
  const { regions } = accountFields('azure');
  const parse = (value: unknown, field: string) => (value as string[]).map((name) => ({ name, field }));

  it('reads the entry’s regions, else the block’s defaultRegions, else the fallback', () => {
    expect(regions({ regions: ['eastus'] }, { defaultRegions: ['westus'] }, parse, { name: 'x', field: '' })).toEqual([{ name: 'eastus', field: 'regions' }]);
    expect(regions({}, { defaultRegions: ['westus'] }, parse, { name: 'x', field: '' })).toEqual([{ name: 'westus', field: 'defaultRegions' }]);
    expect(regions({}, {}, parse, { name: 'x', field: '' })).toEqual([{ name: 'x', field: '' }]);
  });

  it('refuses an empty list, naming the noun', () => {
    expect(() => regions({ regions: [] }, {}, parse, { name: 'x', field: '' })).toThrow("azure account field 'regions' must name at least one region");
    expect(() => regions({ regions: [] }, {}, parse, { name: 'x', field: '' }, 'location')).toThrow('must name at least one location');
  });
});

describe('accountFields entry', () => {
  const { entry } = accountFields('google');

  it('keeps the raw fields, sets the identity with environment and accountType defaulting to the name, then the cloud’s fields', () => {
    const account = entry(
      { name: 'raw', project: 'p', environment: 'prod', regions: 'raw' },
      { name: 'my-gce', cloudProvider: 'gce' },
      { regions: [{ name: 'r' }] },
    );
    expect(account).toEqual({
      name: 'my-gce',
      project: 'p',
      cloudProvider: 'gce',
      type: 'gce',
      environment: 'prod',
      accountType: 'my-gce',
      regions: [{ name: 'r' }],
    });
  });

  it('leaves the secrets out of the raw fields and sets the given ones non-enumerable', () => {
    const account = entry(
      { name: 'a', jsonKey: '{}', accessToken: 'raw-token' },
      { name: 'a', cloudProvider: 'gce' },
      {},
      { jsonKey: '{}', accessToken: undefined },
    );
    expect(Object.keys(account)).not.toContain('jsonKey');
    expect(Object.keys(account)).not.toContain('accessToken');
    expect(account.jsonKey).toBe('{}');
    expect(account.accessToken).toBeUndefined();
    expect(JSON.stringify(account)).not.toContain('raw-token');
  });
});
