import { describe, expect, it } from 'vitest';
import { entityRefId, mergeEntityTags } from './entity-tags-model.js';

const ref = { cloudProvider: 'aws', entityType: 'servergroup', entityId: 'App-main-v001', account: 'prod', region: 'us-east-1' };

describe('entity tags model', () => {
  it("builds Clouddriver's lower-case ids with * for what is absent", () => {
    expect(entityRefId(ref, '1234')).toBe('aws:servergroup:app-main-v001:1234:us-east-1');
    expect(entityRefId({ cloudProvider: '*', entityType: 'application', entityId: 'shop' }, undefined)).toBe('*:application:shop:*:*');
    expect(() => entityRefId({ cloudProvider: 'aws', entityType: 'cluster' }, undefined)).toThrow(/entityRef.entityId/);
  });

  it('merges partially by default and replaces otherwise, keeping created metadata', () => {
    const first = mergeEntityTags(
      undefined,
      {
        id: 'x',
        entityRef: ref,
        tags: [
          { name: 'A', value: 1 },
          { name: 'b', value: 2 },
        ],
      },
      { isPartial: true, now: 10, user: 'u1' },
    );
    expect(first.modified).toBe(true);
    expect(first.merged.tags).toEqual([
      { name: 'a', namespace: 'default', value: 1 },
      { name: 'b', namespace: 'default', value: 2 },
    ]);

    const same = mergeEntityTags(first.merged, { id: 'x', entityRef: ref, tags: [{ name: 'a', value: 1 }] }, { isPartial: true, now: 20, user: 'u2' });
    expect(same.modified).toBe(false);

    const partial = mergeEntityTags(first.merged, { id: 'x', entityRef: ref, tags: [{ name: 'a', value: 5 }] }, { isPartial: true, now: 30, user: 'u2' });
    expect(partial.modified).toBe(true);
    expect(partial.merged.tags.map((tag) => [tag.name, tag.value])).toEqual([
      ['a', 5],
      ['b', 2],
    ]);
    expect(partial.merged.tagsMetadata.find((entry) => entry.name === 'a')).toEqual({
      name: 'a',
      created: 10,
      createdBy: 'u1',
      lastModified: 30,
      lastModifiedBy: 'u2',
    });

    const full = mergeEntityTags(partial.merged, { id: 'x', entityRef: ref, tags: [{ name: 'a', value: 5 }] }, { isPartial: false, now: 40, user: 'u3' });
    expect(full.modified).toBe(true);
    expect(full.merged.tags.map((tag) => tag.name)).toEqual(['a']);
    expect(full.merged.tagsMetadata.map((entry) => entry.name)).toEqual(['a']);
  });
});
