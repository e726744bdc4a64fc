import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from '../cats/memory-cache-store.js';
import { CacheStoreAccountDefinitionStore } from './cache-store-account-definition-store.js';
import { MemoryAccountDefinitionStore, type AccountDefinitionStore } from './account-definition-store.js';

const stores: [string, () => AccountDefinitionStore][] = [
  ['memory', () => new MemoryAccountDefinitionStore()],
  ['cache store', () => new CacheStoreAccountDefinitionStore(new MemoryCacheStore('stratusAccounts'))],
];

describe.each(stores)('%s account definition store', (_name, create) => {
  it('saves, replaces, lists and deletes definitions, keeping nulls and nesting', async () => {
    const store = create();
    await store.save({ name: 'a', type: 'kubernetes', namespaces: ['x'], context: null, nested: { deep: [1, { two: 2 }] } });
    await store.save({ name: 'b', type: 'aws', regions: [{ name: 'us-east-1' }] });
    await store.save({ name: 'a', type: 'kubernetes', namespaces: ['y'], context: null, nested: { deep: [] } });
    expect(await store.get('a')).toEqual({ name: 'a', type: 'kubernetes', namespaces: ['y'], context: null, nested: { deep: [] } });
    expect((await store.list()).map((d) => d.name).sort()).toEqual(['a', 'b']);
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeUndefined();
    expect((await store.list()).map((d) => d.name)).toEqual(['b']);
  });

  it('hands out copies the caller cannot mutate', async () => {
    const store = create();
    const definition = { name: 'c', type: 'aws', regions: [{ name: 'r' }] };
    await store.save(definition);
    definition.regions.push({ name: 'mutated' });
    const read = await store.get('c');
    (read!.regions as { name: string }[]).push({ name: 'also' });
    expect((await store.get('c'))!.regions).toEqual([{ name: 'r' }]);
  });
});
