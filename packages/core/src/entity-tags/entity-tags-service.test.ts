import { describe, expect, it } from 'vitest';
import { MemoryCacheStore } from '../cats/memory-cache-store.js';
import type { CallerAccess } from '../security/caller-access.js';
import { CacheStoreEntityTagsStore } from './entity-tags-store.js';
import { EntityTagsService } from './entity-tags-service.js';

const accounts = {
  all: () => [
    { name: 'prod', cloudProvider: 'aws', accountId: '123456789012' },
    { name: 'dev', cloudProvider: 'aws' },
  ],
  get(name: string) {
    return this.all().find((account) => account.name === name);
  },
};
const devOnly: CallerAccess = { roles: [], canReadAccount: (account) => account === 'dev', canWriteAccount: () => false };

describe('EntityTagsService', () => {
  it('builds ids with the account id, fills account and accountId from each other, and filters by READ', async () => {
    const service = new EntityTagsService(new CacheStoreEntityTagsStore(new MemoryCacheStore('tags-test')), accounts);
    const tag = { name: 'note', value: 'x' };
    const byName = await service.upsert(
      [{ tags: [tag], entityRef: { cloudProvider: 'aws', entityType: 'serverGroup', entityId: 'shop-v001', account: 'prod', region: 'us-east-1' } }],
      { isPartial: true, user: 'u', now: 5 },
    );
    expect(byName.upserted[0]!.id).toBe('aws:servergroup:shop-v001:123456789012:us-east-1');
    expect(byName.upserted[0]!.entityRef).toMatchObject({ accountId: '123456789012', application: 'shop', entityType: 'servergroup' });

    const byId = await service.upsert(
      [{ tags: [tag], entityRef: { cloudProvider: 'aws', entityType: 'cluster', entityId: 'shop-main', accountId: '123456789012' } }],
      { isPartial: true },
    );
    expect(byId.upserted[0]!.entityRef.account).toBe('prod');

    const unknown = await service.upsert([{ tags: [tag], entityRef: { cloudProvider: 'aws', entityType: 'cluster', entityId: 'x', account: 'nope' } }], {
      isPartial: true,
    });
    expect(unknown.failures[0]!.error).toBe('No credentials found for accountName: nope');

    const devTag = await service.upsert([{ tags: [tag], entityRef: { cloudProvider: 'aws', entityType: 'cluster', entityId: 'shop-main', account: 'dev' } }], {
      isPartial: true,
    });
    expect(devTag.upserted[0]!.id).toBe('aws:cluster:shop-main:dev:*');

    const open: CallerAccess = { roles: [], canReadAccount: () => true, canWriteAccount: () => true };
    expect((await service.list(open, {})).map((tags) => tags.id)).toHaveLength(3);
    expect((await service.list(devOnly, {})).map((tags) => tags.id)).toEqual(['aws:cluster:shop-main:dev:*']);
    expect(await service.get(devOnly, 'aws:servergroup:shop-v001:123456789012:us-east-1')).toBeUndefined();
    expect(await service.list(open, { maxResults: 1 })).toHaveLength(1);
    expect(service.accountsOf({ accountId: '123456789012' })).toEqual(['prod']);
  });
});
