import type { AccountCredentials } from '@stratus/plugin-api';
import { describe, expect, it } from 'vitest';
import type { AccountLookup } from './account-lookup.js';
import { PermissionAccessResolver, type RoleSourceConfig } from './permission-access-resolver.js';

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

  it('looks users up among the configured entries only: a name Object.prototype carries is just an unknown user', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const caller = resolver.resolve({ 'x-spinnaker-user': name });
      expect(caller.user).toBe(name);
      expect(caller.roles).toEqual([]);
      expect(caller.canReadAccount('open')).toBe(true);
      expect(caller.canReadAccount('restricted')).toBe(false);
    }
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

  describe('reusing a built access', () => {
    /** A lookup whose version moves on every change, as the account registry's does. */
    function versioned(initial: AccountCredentials[]) {
      let accounts = initial;
      let version = 1;
      return {
        lookup: {
          get: (name: string) => accounts.find((a) => a.name === name),
          all: () => accounts,
          get version() {
            return version;
          },
        } satisfies AccountLookup,
        replace(next: AccountCredentials[]) {
          accounts = next;
          version++;
        },
      };
    }
    const config: RoleSourceConfig = { users: { alice: ['dev'], bob: [], olga: ['ops'] }, rolesHeader: 'X-SPINNAKER-ROLES', trustAccountsHeader: true };

    it('reuses an access for the same identity only, never across users, roles or allowed accounts', () => {
      const resolver = new PermissionAccessResolver(versioned([open, restricted]).lookup, config);
      const alice = resolver.resolve({ 'x-spinnaker-user': 'alice' });
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' })).toBe(alice);
      const bob = resolver.resolve({ 'x-spinnaker-user': 'bob' });
      expect(bob).not.toBe(alice);
      expect(bob.user).toBe('bob');
      expect(bob.canReadAccount('restricted')).toBe(false);
      expect(alice.canReadAccount('restricted')).toBe(true);
      // Same user, other roles header or accounts header: other identities.
      expect(resolver.resolve({ 'x-spinnaker-user': 'bob', 'x-spinnaker-roles': 'ops' }).canWriteAccount('restricted')).toBe(true);
      expect(resolver.resolve({ 'x-spinnaker-user': 'bob' }).canWriteAccount('restricted')).toBe(false);
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice', 'x-spinnaker-accounts': '' }).canReadAccount('open')).toBe(false);
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' }).canReadAccount('open')).toBe(true);
      expect(resolver.resolve({}).user).toBeUndefined();
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' })).toBe(alice);
    });

    it('never shares a mutable access: a route cannot change what the next request gets', () => {
      const resolver = new PermissionAccessResolver(versioned([open, restricted]).lookup, config);
      const alice = resolver.resolve({ 'x-spinnaker-user': 'alice' });
      expect(Object.isFrozen(alice)).toBe(true);
      expect(Object.isFrozen(alice.roles)).toBe(true);
    });

    it('builds again once the role source changes (a config reload gives a new object)', () => {
      let current = config;
      const resolver = new PermissionAccessResolver(versioned([open, restricted]).lookup, () => current);
      const before = resolver.resolve({ 'x-spinnaker-user': 'bob' });
      expect(before.canReadAccount('restricted')).toBe(false);
      current = { ...config, users: { ...config.users, bob: ['dev'] } };
      const after = resolver.resolve({ 'x-spinnaker-user': 'bob' });
      expect(after).not.toBe(before);
      expect(after.canReadAccount('restricted')).toBe(true);
      current = { ...config, users: { ...config.users, alice: [] } };
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' }).canReadAccount('restricted')).toBe(false);
    });

    it('builds again once an account is added, changed or removed', () => {
      const accounts = versioned([open, restricted]);
      const resolver = new PermissionAccessResolver(accounts.lookup, config);
      const first = resolver.resolve({ 'x-spinnaker-user': 'bob' });
      // No account is restricted against writes to an unknown one yet… then one is.
      const openOnly = versioned([open]);
      const lenient = new PermissionAccessResolver(openOnly.lookup, config);
      expect(lenient.resolve({ 'x-spinnaker-user': 'bob' }).canWriteAccount('ghost')).toBe(true);
      openOnly.replace([open, restricted]);
      expect(lenient.resolve({ 'x-spinnaker-user': 'bob' }).canWriteAccount('ghost')).toBe(false);
      // Permissions of an account changed: bob may now read it.
      accounts.replace([open, { ...restricted, permissions: { READ: ['everyone'], WRITE: ['ops'] } }]);
      expect(resolver.resolve({ 'x-spinnaker-user': 'bob' })).not.toBe(first);
      accounts.replace([open, { ...restricted, permissions: { READ: [], WRITE: ['ops'] } }]);
      expect(resolver.resolve({ 'x-spinnaker-user': 'bob' }).canReadAccount('restricted')).toBe(false);
      // An account removed: nobody reads it any more, not even through an access built before.
      const alice = resolver.resolve({ 'x-spinnaker-user': 'alice' });
      expect(alice.canReadAccount('open')).toBe(true);
      accounts.replace([restricted]);
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' }).canReadAccount('open')).toBe(false);
      expect(alice.canReadAccount('open')).toBe(false);
    });

    it('never reuses an access when the lookup has no version', () => {
      const resolver = new PermissionAccessResolver(accounts, config);
      expect(resolver.resolve({ 'x-spinnaker-user': 'alice' })).not.toBe(resolver.resolve({ 'x-spinnaker-user': 'alice' }));
    });
  });
});
