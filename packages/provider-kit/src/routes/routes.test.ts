import { cacheData, type Cache, type RouteCaller } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import { pickFields } from '../util/pick-fields.js';
import { cachedAttributes } from './cached-attributes.js';
import { queryText } from './query-text.js';
import { readableEntries, readableListRoute } from './readable-list-route.js';

const caller: RouteCaller = { canReadAccount: (account) => account === 'dev', canWriteAccount: () => false };

describe('readableListRoute', () => {
  it('answers GET path with the entries of readable accounts and those naming none', async () => {
    const route = readableListRoute('/networks/acme', 'Acme networks', async () => [{ account: 'dev', id: 1 }, { account: 'prod', id: 2 }, { id: 3 }]);
    expect(route).toMatchObject({ method: 'get', path: '/networks/acme', summary: 'Acme networks' });
    const response = await route.handle({ caller, params: {}, query: {}, body: undefined });
    expect(response).toEqual({ body: [{ account: 'dev', id: 1 }, { id: 3 }] });
    expect(readableEntries(caller, [{ account: 'prod' }])).toEqual([]);
  });
});

describe('queryText', () => {
  it('is the value when a non-empty string, else undefined', () => {
    expect(queryText('eastus')).toBe('eastus');
    expect(queryText('')).toBeUndefined();
    expect(queryText(['a', 'b'])).toBeUndefined();
    expect(queryText(undefined)).toBeUndefined();
  });
});

describe('cachedAttributes', () => {
  it('reads every item of the type without relationships and answers their attributes', async () => {
    const asked: unknown[] = [];
    const cache = {
      getAll: async (type: string, filter?: unknown) => {
        asked.push([type, filter]);
        return [cacheData('k:1', { name: 'a' }, { x: ['y'] }), cacheData('k:2', { name: 'b' })];
      },
    } as unknown as Cache;
    expect(await cachedAttributes(cache, 'networks')).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(asked).toEqual([['networks', { relationshipPrefixes: [] }]]);
  });
});

describe('pickFields', () => {
  it('copies the fields in the given order, absent ones as undefined', () => {
    const picked = pickFields({ region: 'r', account: 'a', other: 1 }, ['account', 'region', 'missing']);
    expect(Object.keys(picked)).toEqual(['account', 'region', 'missing']);
    expect(picked).toEqual({ account: 'a', region: 'r', missing: undefined });
  });
});
