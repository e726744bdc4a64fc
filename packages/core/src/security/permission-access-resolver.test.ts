import type { AccountCredentials } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { AccountLookup } from './account-lookup.js';
import { PermissionAccessResolver } from './permission-access-resolver.js';

function lookup(accounts: AccountCredentials[]): AccountLookup {
  return { get: (name) => accounts.find((a) => a.name === name), all: () => accounts };
}

const open: AccountCredentials = { name: 'open', cloudProvider: 'fake' };
const restricted: AccountCredentials = { name: 'restricted', cloudProvider: 'fake', permissions: { READ: ['Dev', 'ops'], WRITE: ['ops'] } };
const legacy: AccountCredentials = { name: 'legacy', cloudProvider: 'fake', requiredGroupMembership: ['legacy-team'] };
const writeOnly: AccountCredentials = { name: 'writeOnly', cloudProvider: 'fake', permissions: { WRITE: ['ops'] } };

describe('PermissionAccessResolver', () => {
  const accounts = lookup([open, restricted, legacy, writeOnly]);
  const resolver = new PermissionAccessResolver(accounts, {
    users: { alice: ['dev'], olga: ['OPS'], lena: ['legacy-team'] },
    rolesHeader: 'X-SPINNAKER-ROLES',
    adminRoles: ['admins'],
  });

  it('leaves unrestricted accounts open to everyone, anonymous included', () => {
    const anonymous = resolver.resolve({});
    expect(anonymous.user).toBeUndefined();
    expect(anonymous.canReadAccount('open')).toBe(true);
    expect(anonymous.canWriteAccount('open')).toBe(true);
    expect(anonymous.canReadAccount('restricted')).toBe(false);
  });

  it('grants READ and WRITE by role, case-insensitively, and WRITE does not imply READ', () => {
    const alice = resolver.resolve({ 'x-spinnaker-user': 'alice' });
    expect(alice.user).toBe('alice');
    expect(alice.canReadAccount('restricted')).toBe(true);
    expect(alice.canWriteAccount('restricted')).toBe(false);
    const olga = resolver.resolve({ 'x-spinnaker-user': 'olga' });
    expect(olga.canWriteAccount('restricted')).toBe(true);
    expect(olga.canWriteAccount('writeOnly')).toBe(true);
    expect(olga.canReadAccount('writeOnly')).toBe(false);
  });

  it('derives permissions from requiredGroupMembership when none are explicit', () => {
    const lena = resolver.resolve({ 'x-spinnaker-user': 'lena' });
    expect(lena.canReadAccount('legacy')).toBe(true);
    expect(lena.canWriteAccount('legacy')).toBe(true);
    expect(resolver.resolve({ 'x-spinnaker-user': 'alice' }).canReadAccount('legacy')).toBe(false);
  });

  it('takes roles from the trusted header and lets admins do everything', () => {
    const proxied = resolver.resolve({ 'x-spinnaker-user': 'nobody', 'x-spinnaker-roles': 'foo, ops' });
    expect(proxied.roles).toEqual(expect.arrayContaining(['foo', 'ops']));
    expect(proxied.canWriteAccount('restricted')).toBe(true);
    const admin = resolver.resolve({ 'x-spinnaker-user': 'root', 'x-spinnaker-roles': 'ADMINS' });
    expect(admin.canReadAccount('writeOnly')).toBe(true);
  });

  it('ignores a roles header unless configured', () => {
    const strict = new PermissionAccessResolver(accounts, {});
    expect(strict.resolve({ 'x-spinnaker-roles': 'ops' }).canWriteAccount('restricted')).toBe(false);
  });

  it('never lets anyone read an account that is not configured, and leaves writes to validation while nothing is restricted', () => {
    expect(resolver.resolve({}).canReadAccount('ghost')).toBe(false);
    expect(resolver.resolve({}).canWriteAccount('ghost')).toBe(false);
    const allOpen = new PermissionAccessResolver(lookup([open]), {});
    expect(allOpen.resolve({}).canReadAccount('ghost')).toBe(false);
    expect(allOpen.resolve({}).canWriteAccount('ghost')).toBe(true);
    expect(allOpen.resolve({}).canReadAccount('open')).toBe(true);
  });

  it('narrows to the X-SPINNAKER-ACCOUNTS list only when trusted', () => {
    const trusting = new PermissionAccessResolver(accounts, { trustAccountsHeader: true, users: { olga: ['ops'] } });
    const narrowed = trusting.resolve({ 'x-spinnaker-user': 'olga', 'x-spinnaker-accounts': 'open, restricted' });
    expect(narrowed.canReadAccount('open')).toBe(true);
    expect(narrowed.canWriteAccount('restricted')).toBe(true);
    expect(narrowed.canReadAccount('legacy')).toBe(false);
    expect(trusting.resolve({ 'x-spinnaker-user': 'olga' }).canReadAccount('open')).toBe(true);
    expect(resolver.resolve({ 'x-spinnaker-accounts': 'nothing' }).canReadAccount('open')).toBe(true);
  });

  it('reads a role source given as a function on every request', () => {
    let users: Record<string, string[]> = {};
    const live = new PermissionAccessResolver(accounts, () => ({ users }));
    expect(live.resolve({ 'x-spinnaker-user': 'newbie' }).canReadAccount('restricted')).toBe(false);
    users = { newbie: ['dev'] };
    expect(live.resolve({ 'x-spinnaker-user': 'newbie' }).canReadAccount('restricted')).toBe(true);
  });
});
