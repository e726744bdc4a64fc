import { describe, expect, it } from 'vitest';
import { OPEN_ACCESS, type CallerAccess } from './caller-access.js';
import { applicationOfResource, appliesApplicationPermissions, canReadResourceApplication } from './resource-application.js';

const fiatUser: CallerAccess = {
  user: 'dave',
  roles: [],
  canReadAccount: () => true,
  canWriteAccount: () => true,
  canAccessApplication: (application) => application === 'shop',
};

describe('applicationOfResource', () => {
  it('takes the moniker first, then the application field, then the Frigga prefix of what the item belongs to', () => {
    expect(applicationOfResource({ moniker: { app: 'shop' }, application: 'other', name: 'x-y' })).toBe('shop');
    expect(applicationOfResource({ application: 'shop', name: 'other-web' })).toBe('shop');
    expect(applicationOfResource({ name: 'i-0abc', serverGroup: 'shop-web-v001' })).toBe('shop');
    expect(applicationOfResource({ loadBalancer: 'shop-frontend' })).toBe('shop');
    expect(applicationOfResource({ name: 'shop-frontend' })).toBe('shop');
  });

  it("never takes an instance id for an application name when told the item's own name is no Frigga name", () => {
    expect(applicationOfResource({ name: 'i-0abc' }, { ownName: false })).toBeUndefined();
    expect(applicationOfResource({ name: 'i-0abc', serverGroup: 'shop-v000' }, { ownName: false })).toBe('shop');
  });
});

describe('canReadResourceApplication', () => {
  it('lets everything through without application permissions (no Fiat) and for admins', () => {
    const staticRoles: CallerAccess = { roles: ['dev'], canReadAccount: () => true, canWriteAccount: () => true };
    expect(appliesApplicationPermissions(staticRoles)).toBe(false);
    expect(canReadResourceApplication(staticRoles, { name: 'secret-web-v001' })).toBe(true);
    expect(canReadResourceApplication({ ...fiatUser, admin: true }, { name: 'secret-web-v001' })).toBe(true);
    expect(canReadResourceApplication(OPEN_ACCESS, { application: 'secret' })).toBe(true);
  });

  it('with Fiat, hides items of applications without READ and keeps items naming no application', () => {
    expect(canReadResourceApplication(fiatUser, { name: 'shop-web-v001' })).toBe(true);
    expect(canReadResourceApplication(fiatUser, { name: 'secret-web-v001' })).toBe(false);
    expect(canReadResourceApplication(fiatUser, { serverGroup: 'secret-web-v001', name: 'i-1' }, { ownName: false })).toBe(false);
    expect(canReadResourceApplication(fiatUser, { name: 'i-1' }, { ownName: false })).toBe(true);
  });
});
